# frozen through a loop over a list of the parameters to freeze
for p in [w1]:
    p.requires_grad_(False)
h = torch.mul(x, w1)
y = (h * w2).sum()
torch.autograd.backward([y])
