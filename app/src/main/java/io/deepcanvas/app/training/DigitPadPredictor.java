package io.deepcanvas.app.training;

import io.deepcanvas.engine.autograd.GradMode;
import io.deepcanvas.engine.autograd.NoGrad;
import io.deepcanvas.engine.graph.GraphModule;
import io.deepcanvas.engine.graph.NodeInfo;
import io.deepcanvas.engine.tensor.Tensor;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Runs the drawing pad's predictions on one background thread: the latest drawing wins, older ones still waiting
 * are dropped, so a fast hand never builds a queue. Each result is handed to {@code publisher} (the FX thread in
 * the app, the caller's thread in tests). Knows no controls.
 */
public final class DigitPadPredictor {
    /**
     * What the network saw and what it answered: the 28×28 image (null for an empty drawing), the class
     * probabilities (null without a network or without ink), and the reason when it could not predict.
     */
    public record Prediction(float[] image, float[] probabilities, String error) {
        /** The most likely class, or -1 when there are no probabilities. */
        public int top() {
            return probabilities == null ? -1 : Predictions.argmax(probabilities);
        }
    }

    private record Request(float[] pixels, int width, int height, TrainedNetwork network, long generation) {
    }

    private final Executor publisher;
    private final Consumer<Prediction> sink;
    private final AtomicReference<Request> pending = new AtomicReference<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicLong generation = new AtomicLong();
    private final ThreadPoolExecutor worker;

    /** Results go to {@code sink}, called through {@code publisher} (e.g. {@code Platform::runLater}). */
    public DigitPadPredictor(Executor publisher, Consumer<Prediction> sink) {
        this.publisher = publisher;
        this.sink = sink;
        worker = new ThreadPoolExecutor(1, 1, 5, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "deepcanvas-drawing-pad");
            t.setDaemon(true);
            return t;
        });
        // no thread is held while nobody draws
        worker.allowCoreThreadTimeOut(true);
    }

    /** Asks for a prediction of a {@code width × height} drawing (the array is not copied: pass a snapshot). */
    public void request(float[] pixels, int width, int height, TrainedNetwork network) {
        pending.set(new Request(pixels, width, height, network, generation.get()));
        if (draining.compareAndSet(false, true)) {
            worker.execute(this::drain);
        }
    }

    private void drain() {
        while (true) {
            Request r = pending.getAndSet(null);
            if (r == null) {
                draining.set(false);
                // a request that came in after the last getAndSet but before the flag was cleared
                if (pending.get() != null && draining.compareAndSet(false, true)) {
                    continue;
                }
                return;
            }
            Prediction p = predict(r.pixels, r.width, r.height, r.network);
            publisher.execute(() -> {
                // checked where the result lands, on the publisher's thread, the same thread that calls forget()
                if (r.generation == generation.get()) {
                    sink.accept(p);
                }
            });
        }
    }

    /**
     * Drops the waiting request and any result still being computed (after Clear). Call it on the publisher's
     * thread, so no result of an earlier drawing is delivered after it.
     */
    public void forget() {
        generation.incrementAndGet();
        pending.set(null);
    }

    /** Stops the worker thread; requests after this are ignored. */
    public void shutdown() {
        worker.shutdownNow();
    }

    /** Preprocesses the drawing and runs the network on it, on the calling thread. */
    public static Prediction predict(float[] pixels, int width, int height, TrainedNetwork network) {
        float[] image = DigitPadPreprocessor.toMnist(pixels, width, height);
        if (image == null || network == null) {
            return new Prediction(image, null, null);
        }
        try {
            Tensor x = DigitPadPreprocessor.toSample(image, network.transform(), network.inputShape());
            return new Prediction(image, probabilities(network.module(), x), null);
        } catch (RuntimeException e) {
            return new Prediction(image, null, e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    /**
     * The class probabilities for a batch of one, in eval mode and without gradients ({@code model.eval(); with
     * torch.no_grad(): softmax(model(x))}); the module's mode is restored after. A network that already ends in
     * Softmax or LogSoftmax is not squashed twice.
     */
    static float[] probabilities(GraphModule module, Tensor x) {
        Tensor out;
        // one caller at a time (TrainedNetwork): the evaluation view may use the same module
        synchronized (module) {
            boolean wasTraining = module.isTraining();
            module.eval();
            try (NoGrad ignored = GradMode.noGrad()) {
                out = module.forward(x);
                String last = lastLayer(module);
                out = switch (last) {
                    case "Softmax" -> out;
                    case "LogSoftmax" -> out.exp();
                    default -> out.softmax(out.dim() - 1);
                };
                float[] p = out.toArray();
                if (p.length != 10) {
                    throw new IllegalArgumentException("the network outputs " + out.shape() + " but the drawing pad"
                            + " needs the 10 digit classes: end the network with Linear(out_features=10)");
                }
                return p;
            } finally {
                module.train(wasTraining);
            }
        }
    }

    private static String lastLayer(GraphModule module) {
        String id = module.report().outputId();
        NodeInfo info = id == null ? null : module.report().info(id);
        return info == null ? "" : info.type().name();
    }
}
