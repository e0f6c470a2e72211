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

    /** Runs the children in order, neighbours that {@link LayerFusion} pairs up as one. */
    @Override
    public Tensor forward(Tensor x) {
        Tensor input = x;
        Module[] children = namedChildren().values().toArray(new Module[0]);
        Tensor[] produced = new Tensor[children.length];
        for (int i = 0; i < children.length; i++) {
            if (i + 1 < children.length && LayerFusion.fuses(children[i], children[i + 1])) {
                Tensor[] made = LayerFusion.run(children[i], children[i + 1], x);
                produced[i++] = made[0];
                x = made[1];
            } else {
                x = children[i].forward(x);
            }
            produced[i] = x;
        }
        Intermediates.release(input, x, produced);
        return x;
    }
}
