"""Hand memory freed after loading a network back to the operating system.

Reading a Land-sized store makes and drops a few hundred megabytes of decoded JSON
while the network is built; glibc keeps such freed blocks inside the process, so the
server's resident memory stays that much higher than what it holds. ``malloc_trim``
returns them (measured: 26 MB with 1,000 quarters, ``benchmarks/serve_memory.py``).
Elsewhere than on glibc this does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
from collections.abc import Callable

__all__ = ["return_free_memory"]


@functools.cache
def _trim() -> Callable[[int], int] | None:
    name = ctypes.util.find_library("c")
    if name is None:
        return None
    try:
        trim: Callable[[int], int] = ctypes.CDLL(name).malloc_trim
    except (OSError, AttributeError):  # not glibc
        return None
    return trim


def return_free_memory() -> bool:
    """Give freed heap memory back to the system; False where that is not possible.

    >>> isinstance(return_free_memory(), bool)
    True
    """
    trim = _trim()
    if trim is None:
        return False
    trim(0)
    return True
