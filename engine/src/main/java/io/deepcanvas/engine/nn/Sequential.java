package io.deepcanvas.engine.nn;

import io.deepcanvas.engine.tensor.Tensor;

/** Runs its children in order ({@code torch.nn.Sequential}); children are named 0, 1, 2, ... */
public final class Sequential extends Module {
    public Sequential(Module... modules) {
        for (Module m : modules) {
            add(m);
        }
    }

    /** Appends a module named by its position. */
    public Sequential add(Module m) {
        registerModule(Integer.toString(namedChildren().size()), m);
        return this;
    }

    /** Appends a module under a chosen name (PyTorch's OrderedDict form). */
    public Sequential add(String name, Module m) {
        registerModule(name, m);
        return this;
    }

    @Override
    public Tensor forward(Tensor x) {
        Tensor input = x;
        Tensor[] produced = new Tensor[namedChildren().size()];
        int i = 0;
        for (Module m : namedChildren().values()) {
            x = m.forward(x);
            produced[i++] = x;
        }
        Intermediates.release(input, x, produced);
        return x;
    }
}
