"""Which torch devices a run uses, whether they exist here, and which dtypes each supports."""
from __future__ import annotations

import functools
import platform

import torch

from conformance import dtypes

#: Device types that ``--device all`` asks for. Absent accelerators other than CUDA are left out
#: silently; CUDA is always listed so that a CPU-only run shows its GPU cases as skipped, with the reason.
ALL_TYPES = ("cpu", "cuda", "mps", "xpu")


class DeviceError(ValueError):
    """A device string that is malformed or names a device that is not present."""


def _module(kind: str):
    return getattr(torch, kind, None)


def _count(kind: str) -> int:
    if kind == "cpu":
        return 1
    if kind == "mps":
        return 1 if torch.backends.mps.is_available() else 0
    mod = _module(kind)
    try:
        if mod is None or not mod.is_available():
            return 0
        return int(mod.device_count())
    except Exception:  # a backend that cannot even answer is not present
        return 0


def normalize(spec: str) -> str:
    """Checks a device string and returns its canonical form; raises DeviceError if absent or malformed."""
    try:
        dev = torch.device(spec)
    except (RuntimeError, ValueError) as exc:
        raise DeviceError(f"not a torch device string: {spec!r} ({exc})") from None
    count = _count(dev.type)
    if count == 0:
        raise DeviceError(f"device {spec!r} is not available on this machine "
                          f"(torch {torch.__version__} sees no {dev.type} device)")
    if dev.index is not None and dev.index >= count:
        raise DeviceError(f"device {spec!r} is not available: {count} {dev.type} device(s) present")
    return str(dev)


def resolve(specs: list[str] | None) -> tuple[list[str], dict[str, str]]:
    """Resolves ``--device`` values into (devices to run, devices to skip with reason).

    ``all`` expands to every present device: each CUDA (and XPU) device by index when there are several, the
    device type alone when there is one; CUDA is listed as skipped when absent.
    """
    specs = specs or ["cpu"]
    run: list[str] = []
    skipped: dict[str, str] = {}
    for spec in specs:
        if spec == "all":
            for kind in ALL_TYPES:
                count = _count(kind)
                names = [kind] if count == 1 or kind in ("cpu", "mps") else [f"{kind}:{i}" for i in range(count)]
                for name in names if count else ():
                    if name not in run:
                        run.append(name)
                if not count and kind == "cuda":
                    skipped["cuda"] = "CUDA is not available on this machine"
            continue
        dev = normalize(spec)
        if dev not in run:
            run.append(dev)
    for dev in run:
        skipped.pop(dev, None)
    return run, skipped


def concrete(device) -> torch.device:
    """The device a tensor made on ``device`` reports: ``cuda`` -> ``cuda:<current device>``, ``mps`` ->
    ``mps:0``, ``cpu`` stays ``cpu`` (CPU tensors carry no index). Every "is the result on the right device" check
    compares concrete devices, since ``torch.device("cuda") != torch.device("cuda:0")``."""
    dev = device if isinstance(device, torch.device) else torch.device(device)
    if dev.type == "cpu":
        return torch.device("cpu")
    if dev.index is not None:
        return dev
    return torch.device(dev.type, _current_index(dev.type))


def _current_index(kind: str) -> int:
    mod = _module(kind)
    try:
        if mod is not None and hasattr(mod, "current_device") and mod.is_available():
            return int(mod.current_device())
    except Exception:  # noqa: BLE001 - a backend that cannot answer: its first device
        pass
    return 0


def same(a, b) -> bool:
    """Whether two device specs (strings or ``torch.device``) name the same device."""
    return concrete(a) == concrete(b)


@functools.lru_cache(maxsize=None)
def supports(device: str, dtype: str) -> bool:
    """Whether ``device`` can hold tensors of ``dtype`` (MPS has no float64, for instance)."""
    kind = torch.device(device).type
    if kind == "cpu":
        return True
    if kind == "mps" and dtype in ("float64", "complex128"):
        return False
    try:
        torch.zeros(2, dtype=dtypes.TORCH[dtype], device=device) + 1
        return True
    except Exception:
        return False


def describe(device: str) -> str:
    """A human-readable name of the hardware behind a device string."""
    kind = torch.device(device).type
    try:
        if kind == "cuda":
            return torch.cuda.get_device_name(torch.device(device))
        if kind == "xpu":
            return torch.xpu.get_device_name(torch.device(device))
    except Exception:
        pass
    if kind == "cpu":
        return _cpu_name()
    return kind


@functools.lru_cache(maxsize=None)
def cpu_features() -> tuple[str, frozenset]:
    """(vendor, flags) of this machine's CPU from /proc/cpuinfo (``GenuineIntel``, ``AuthenticAMD``; ``('',
    frozenset())`` where it cannot be read): for divergence records of kernels that behave differently by
    hardware (``Divergence.shows``), read from the machine, never by running torch."""
    vendor, flags = "", frozenset()
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as fh:
            for line in fh:
                key, _, value = line.partition(":")
                if key.strip() == "vendor_id" and not vendor:
                    vendor = value.strip()
                elif key.strip() == "flags" and not flags:
                    flags = frozenset(value.split())
                if vendor and flags:
                    break
    except OSError:
        pass
    return vendor, flags


def _cpu_name() -> str:
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def usable(device: str) -> str | None:
    """Why ``device`` cannot run a kernel at all (a wheel without kernels for this GPU), or None. A run on such a
    device would skip or fail everything: it is a usage error, not a green run."""
    if torch.device(device).type == "cpu":
        return None
    try:
        t = torch.arange(4, dtype=torch.float32, device=device) * 2 + 1
        synchronize(device)
        if t.cpu().tolist() != [1.0, 3.0, 5.0, 7.0]:
            return f"a kernel on {device} computed {t.cpu().tolist()} for [1, 3, 5, 7]"
    except Exception as exc:  # noqa: BLE001 - no kernel image, a driver mismatch, ...
        return f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
    return None


def for_worker(worker: str | None, kind: str = "cuda") -> int | None:
    """The device index an xdist worker (``gw3``) uses for a device type with several devices: the workers are
    spread over them round robin (None: one device, or not a worker)."""
    count = _count(kind)
    if not worker or count <= 1 or not worker.startswith("gw") or not worker[2:].isdigit():
        return None
    return int(worker[2:]) % count


def is_device_error(exc: BaseException) -> bool:
    """An error that leaves the device unusable for the rest of the process (a device-side assert, an illegal
    memory access): every later call on it fails."""
    text = str(exc)
    return isinstance(exc, RuntimeError) and any(k in text for k in (
        "device-side assert", "CUDA error", "illegal memory access", "HIP error", "unspecified launch failure"))


def synchronize(device: str) -> None:
    kind = torch.device(device).type
    mod = _module(kind)
    if kind != "cpu" and mod is not None and hasattr(mod, "synchronize"):
        mod.synchronize()
