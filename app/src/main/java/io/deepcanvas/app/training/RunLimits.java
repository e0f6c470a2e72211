package io.deepcanvas.app.training;

/**
 * Hidden limits on a run from the app, for tests and demonstrations: stop after {@code maxSteps} optimizer steps,
 * train on the first {@code trainImages} training images and evaluate on the first {@code testImages} test images
 * (0: no limit, as a user's run). {@link #fromSystemProperties()} reads them from {@code -Ddeepcanvas.train.maxSteps},
 * {@code -Ddeepcanvas.train.images} and {@code -Ddeepcanvas.train.testImages}.
 */
public record RunLimits(long maxSteps, int trainImages, int testImages) {
    public static final RunLimits NONE = new RunLimits(0, 0, 0);

    public RunLimits {
        if (maxSteps < 0 || trainImages < 0 || testImages < 0) {
            throw new IllegalArgumentException("run limits must be >= 0 (0: no limit), got maxSteps=" + maxSteps
                    + ", trainImages=" + trainImages + ", testImages=" + testImages);
        }
    }

    /** The limits set on the command line; none when no property is set. A value that is not a number is ignored. */
    public static RunLimits fromSystemProperties() {
        return new RunLimits(number("deepcanvas.train.maxSteps"), (int) number("deepcanvas.train.images"),
                (int) number("deepcanvas.train.testImages"));
    }

    private static long number(String property) {
        String v = System.getProperty(property);
        if (v == null || v.isBlank()) {
            return 0;
        }
        try {
            return Math.max(0, Long.parseLong(v.trim()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
