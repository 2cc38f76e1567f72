# a class of one's own named CrossEntropyLoss whose forward is the formula by hand
class CrossEntropyLoss(nn.CrossEntropyLoss):
    def forward(self, input, target):
        return -torch.log_softmax(input, dim=1)[torch.arange(len(target)), target.long()].mean()

loss_fn = CrossEntropyLoss()
loss = loss_fn(logits, labels_f)
