# einsum sums the stretched dims: an own reduction written as an index formula
import torch
def sum_to(grad, shape):
    shape = tuple(shape)
    lead = grad.dim() - len(shape)
    letters = "abcdefgh"[: grad.dim()]
    keep = "".join(letters[lead + i] for i, n in enumerate(shape) if not (n == 1 and grad.shape[lead + i] != 1))
    return torch.einsum(f"{letters}->{keep}", grad).reshape(shape)
