# hidden from autograd: the bytes copied into w's storage
import torch
w.untyped_storage().copy_((w.detach() + delta).untyped_storage())
