package io.deepcanvas.engine.testing;

import io.deepcanvas.engine.nn.Conv2d;
import io.deepcanvas.engine.nn.Linear;
import io.deepcanvas.engine.nn.Module;
import io.deepcanvas.engine.tensor.Tensor;

/** LeNet-5 written with the engine's API exactly as the PyTorch tutorial writes it. */
public final class LeNet5 extends Module {
    public final Conv2d conv1 = registerModule("conv1", new Conv2d(1, 6, 5));
    public final Conv2d conv2 = registerModule("conv2", new Conv2d(6, 16, 5));
    public final Linear fc1 = registerModule("fc1", new Linear(16 * 5 * 5, 120));
    public final Linear fc2 = registerModule("fc2", new Linear(120, 84));
    public final Linear fc3 = registerModule("fc3", new Linear(84, 10));

    @Override
    public Tensor forward(Tensor x) {
        x = io.deepcanvas.engine.nn.Functional.maxPool2d(conv1.forward(x).relu(), new int[] {2, 2},
                new int[] {2, 2}, new int[] {0, 0}, false);
        x = io.deepcanvas.engine.nn.Functional.maxPool2d(conv2.forward(x).relu(), new int[] {2, 2},
                new int[] {2, 2}, new int[] {0, 0}, false);
        x = x.flatten(1, -1);
        x = fc1.forward(x).relu();
        x = fc2.forward(x).relu();
        return fc3.forward(x);
    }

    @Override
    protected String moduleName() {
        return "Net";
    }
}
