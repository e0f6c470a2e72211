package io.deepcanvas.app.editor;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;

/**
 * The layer and application icons from the top-level {@code icons/} folder ({@code conv2d.png}, with
 * {@code conv2d@2x.png} picked by JavaFX on HiDPI screens). The folder is found from {@code -Ddeepcanvas.icons}
 * (set by the launcher and the tests) or beside the working directory; a missing icon shows nothing rather than
 * failing, since the editor works without pictures.
 */
public final class Icons {
    private static final Map<String, Image> CACHE = new HashMap<>();

    private Icons() {
    }

    static Path folder() {
        String p = System.getProperty("deepcanvas.icons");
        return p != null ? Path.of(p) : Path.of("icons");
    }

    /**
     * The icon {@code name} (a LayerType's icon name), loaded in the background: the FX thread never waits on the
     * disk, and a missing file is an image that shows nothing.
     */
    public static synchronized Image get(String name) {
        // JavaFX loads name@2x.png itself for a file: URL when the screen scale is 2
        return CACHE.computeIfAbsent(name, n -> new Image(folder().resolve(n + ".png").toUri().toString(), true));
    }

    /** An image view of {@code size} px for the icon, empty when the icon is missing. */
    public static ImageView view(String name, double size) {
        ImageView v = new ImageView(get(name));
        v.setFitWidth(size);
        v.setFitHeight(size);
        v.setPreserveRatio(true);
        v.setSmooth(true);
        return v;
    }
}
