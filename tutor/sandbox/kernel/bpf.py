"""A tiny classic-BPF assembler (with labels) and interpreter, for seccomp filters.

Only what a seccomp filter needs: load a 32-bit word of ``struct seccomp_data``, AND with a
constant, compare with a constant, jump, return. :func:`assemble` resolves labels and checks
every jump (conditional offsets fit in 8 bits, all jumps go forward and land inside the
program, the last instruction returns); :func:`run` executes a program on given syscall data
(the tests use it to check the filter's decisions for both architectures on any machine).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

# instruction classes and fields (linux/bpf_common.h)
LD_W_ABS = 0x00 | 0x00 | 0x20  # BPF_LD | BPF_W | BPF_ABS
ALU_AND_K = 0x04 | 0x50 | 0x00  # BPF_ALU | BPF_AND | BPF_K
JA = 0x05 | 0x00  # BPF_JMP | BPF_JA
JEQ = 0x05 | 0x10  # BPF_JMP | BPF_JEQ | BPF_K
JGE = 0x05 | 0x30
JSET = 0x05 | 0x40
RET_K = 0x06 | 0x00

MAX_INSNS = 4096  # BPF_MAXINSNS
INSN = struct.Struct("=HBBI")  # struct sock_filter: code, jt, jf, k (native byte order)

# offsets in struct seccomp_data {int nr; u32 arch; u64 ip; u64 args[6];} (little-endian)
NR = 0
ARCH = 4


def arg_lo(i: int) -> int:
    """Offset of the low 32 bits of syscall argument ``i``."""
    return 16 + 8 * i


def arg_hi(i: int) -> int:
    """Offset of the high 32 bits of syscall argument ``i``."""
    return 16 + 8 * i + 4


@dataclass
class Insn:
    code: int
    k: int = 0
    jt: str | None = None  # label to jump to when true (None: the next instruction)
    jf: str | None = None  # label to jump to when false (None: the next instruction)
    target: str | None = None  # JA's label


class Program:
    """Instructions with labels; :meth:`assemble` turns them into ``sock_filter`` bytes."""

    def __init__(self) -> None:
        self.insns: list[Insn] = []
        self.labels: dict[str, int] = {}
        self.marks: dict[str, list[int]] = {}  # name -> indices of instructions to patch

    def label(self, name: str) -> None:
        if name in self.labels:
            raise ValueError(f"label {name!r} defined twice")
        self.labels[name] = len(self.insns)

    def mark(self, name: str) -> None:
        """Remember the next instruction's index under ``name`` (for patching its ``k``)."""
        self.marks.setdefault(name, []).append(len(self.insns))

    def load(self, offset: int) -> None:
        self.insns.append(Insn(LD_W_ABS, offset))

    def and_(self, k: int) -> None:
        self.insns.append(Insn(ALU_AND_K, k))

    def jump_if(self, op: int, k: int, true: str | None = None, false: str | None = None) -> None:
        self.insns.append(Insn(op, k, true, false))

    def goto(self, target: str) -> None:
        self.insns.append(Insn(JA, target=target))

    def ret(self, k: int) -> None:
        self.insns.append(Insn(RET_K, k))

    def assemble(self) -> bytes:
        """The program as ``struct sock_filter`` bytes; raises ValueError on a bad jump."""
        if not self.insns or self.insns[-1].code != RET_K:
            raise ValueError("a filter must end with a return")
        if len(self.insns) > MAX_INSNS:
            raise ValueError(f"{len(self.insns)} instructions: over the kernel's {MAX_INSNS}")
        out = bytearray()
        for i, insn in enumerate(self.insns):
            if insn.code == JA:
                k, jt, jf = self._offset(i, insn.target, 0xFFFFFFFF), 0, 0
            elif insn.code & 0x07 == 0x05:
                jt = self._offset(i, insn.jt, 0xFF)
                jf = self._offset(i, insn.jf, 0xFF)
                k = insn.k
            else:
                k, jt, jf = insn.k, 0, 0
            out += INSN.pack(insn.code, jt, jf, k & 0xFFFFFFFF)
        return bytes(out)

    def _offset(self, i: int, label: str | None, limit: int) -> int:
        if label is None:
            return 0
        if label not in self.labels:
            raise ValueError(f"undefined label {label!r}")
        offset = self.labels[label] - i - 1
        if offset < 0 or offset > limit:
            raise ValueError(f"jump from {i} to {label!r} out of range ({offset})")
        if self.labels[label] >= len(self.insns):
            raise ValueError(f"label {label!r} points past the end")
        return offset


def decode(program: bytes) -> list[tuple[int, int, int, int]]:
    """``(code, jt, jf, k)`` for each instruction of assembled bytes."""
    return [INSN.unpack_from(program, i) for i in range(0, len(program), INSN.size)]


def check(program: bytes) -> None:
    """Raise ValueError unless every jump lands inside ``program`` and it ends in a return."""
    insns = decode(program)
    if not insns or len(insns) > MAX_INSNS:
        raise ValueError(f"bad length {len(insns)}")
    known = {LD_W_ABS, ALU_AND_K, JA, JEQ, JGE, JSET, RET_K}
    for i, (code, jt, jf, k) in enumerate(insns):
        if code not in known:
            raise ValueError(f"instruction {i}: unknown opcode {code:#x}")
        if code == LD_W_ABS and (k % 4 or k > 60):
            raise ValueError(f"instruction {i}: load outside seccomp_data ({k})")
        targets = [k] if code == JA else [jt, jf] if code & 0x07 == 0x05 else []
        for offset in targets:
            if i + 1 + offset >= len(insns):
                raise ValueError(f"instruction {i}: jump past the end")
    if insns[-1][0] != RET_K:
        raise ValueError("the last instruction is not a return")


def run(program: bytes, nr: int, arch: int, args: tuple[int, ...] = ()) -> int:
    """The value ``program`` returns for a syscall (the kernel's view: ``seccomp_data``)."""
    data = struct.pack("<iIQ6Q", nr, arch, 0, *(list(args) + [0] * (6 - len(args))))
    insns = decode(program)
    acc = 0
    pc = 0
    while True:
        code, jt, jf, k = insns[pc]
        pc += 1
        if code == LD_W_ABS:
            (acc,) = struct.unpack_from("<I", data, k)
        elif code == ALU_AND_K:
            acc &= k
        elif code == JA:
            pc += k
        elif code == JEQ:
            pc += jt if acc == k else jf
        elif code == JGE:
            pc += jt if acc >= k else jf
        elif code == JSET:
            pc += jt if acc & k else jf
        elif code == RET_K:
            return k
        else:
            raise ValueError(f"unknown opcode {code:#x}")
