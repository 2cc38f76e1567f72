# right: StackDataset of the two tensors, every DataLoader argument spelled out, a print
import torch.utils.data as data

dataset = data.StackDataset(X, y)
loader = data.DataLoader(dataset, batch_size=bs, shuffle=True, num_workers=0, drop_last=False,
                         pin_memory=False, collate_fn=None)
print(len(dataset), "samples in", len(loader), "batches")
