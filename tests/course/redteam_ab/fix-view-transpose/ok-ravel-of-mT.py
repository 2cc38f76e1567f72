# mT and ravel
flat = x.mT.ravel()
