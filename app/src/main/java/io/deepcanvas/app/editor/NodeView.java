package io.deepcanvas.app.editor;

import io.deepcanvas.app.i18n.I18n;
import io.deepcanvas.app.model.NodeCaption;
import io.deepcanvas.engine.graph.LayerType;
import io.deepcanvas.engine.graph.LayerTypes;
import io.deepcanvas.engine.graph.Node;
import io.deepcanvas.engine.graph.NodeInfo;
import io.deepcanvas.engine.graph.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import javafx.css.PseudoClass;
import javafx.geometry.Point2D;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Circle;

/**
 * One layer on the canvas: icon, type and label, key parameters ({@code 5×5, 6}), output shape ({@code 16×5×5}) and
 * parameter count, with input ports on the left and the output port on the right. Fixed size, so ports sit where
 * edges expect them without waiting for a layout pass.
 */
final class NodeView extends Pane {
    static final double WIDTH = io.deepcanvas.app.model.EditorModel.NODE_WIDTH;
    static final double HEIGHT = io.deepcanvas.app.model.EditorModel.NODE_HEIGHT;
    static final double PORT_RADIUS = 6;
    private static final PseudoClass SELECTED = PseudoClass.getPseudoClass("selected");
    private static final PseudoClass PROBLEM = PseudoClass.getPseudoClass("problem");
    private static final PseudoClass INPUT = PseudoClass.getPseudoClass("input");

    final String id;
    private final Label type = new Label();
    private final Label label = new Label();
    private final Label params = new Label();
    private final Label shape = new Label();
    private final Label count = new Label();
    private final javafx.scene.image.ImageView icon = new javafx.scene.image.ImageView();
    private final Tooltip problemTip = new Tooltip();
    private final List<Circle> inputPorts = new ArrayList<>();
    final Circle outputPort = port("out");
    private String iconName;
    private long shownParams = -1;
    private java.util.Locale shownLocale;
    /** The parameter count from the longest form to the shortest; the footer shows the longest that fits. */
    private String[] countForms = {""};
    /** Measures text for {@link #fitCount}: one for all nodes (FX thread only). */
    private static final javafx.scene.text.Text MEASURE = new javafx.scene.text.Text();
    private boolean tipInstalled;

    NodeView(String id) {
        this.id = id;
        setId("node-" + id);
        getStyleClass().add("node-view");
        // the drop shadow widens the bounds; picking by bounds would steal clicks meant for a nearby link
        setPickOnBounds(false);
        // the node's look (text, border, drop shadow) is drawn once into a bitmap and reused while the canvas pans
        // or nodes move: without it the shadow's blur is recomputed for every visible node on every frame
        setCache(true);
        setCacheHint(javafx.scene.CacheHint.QUALITY);
        setPrefSize(WIDTH, HEIGHT);
        setMinSize(WIDTH, HEIGHT);
        setMaxSize(WIDTH, HEIGHT);
        resize(WIDTH, HEIGHT);
        icon.setFitWidth(22);
        icon.setFitHeight(22);
        type.getStyleClass().add("node-type");
        // the layer's type and shape are what the node is for: the id and the count give way first
        type.setMinWidth(Region.USE_PREF_SIZE);
        shape.setMinWidth(Region.USE_PREF_SIZE);
        label.getStyleClass().add("node-label");
        // cut in the middle: "pool1" and "pool2" beside a long type read "p…1" and "p…2", not both "p…"
        label.setTextOverrun(javafx.scene.control.OverrunStyle.CENTER_ELLIPSIS);
        params.getStyleClass().add("node-params");
        shape.getStyleClass().add("node-shape");
        shape.setId("shape-" + id);
        count.getStyleClass().add("node-count");
        count.setId("count-" + id);
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        // gaps of 4: with 6, "MaxPool2d" left "pool1" three characters ("p…")
        HBox header = new HBox(4, icon, type, spacer, label);
        header.getStyleClass().add("node-header");
        HBox footer = new HBox(6, shape, spacer2(), count) {
            @Override
            protected void layoutChildren() {
                fitCount(this);
                super.layoutChildren();
            }
        };
        VBox body = new VBox(2, header, params, footer);
        body.getStyleClass().add("node-body");
        body.setPrefSize(WIDTH, HEIGHT);
        body.resizeRelocate(0, 0, WIDTH, HEIGHT);
        body.setMouseTransparent(true);
        outputPort.setCenterX(WIDTH);
        outputPort.setCenterY(HEIGHT / 2);
        getChildren().addAll(body, outputPort);
    }

    private static Region spacer2() {
        Region r = new Region();
        HBox.setHgrow(r, Priority.ALWAYS);
        return r;
    }

    private static Circle port(String kind) {
        Circle c = new Circle(PORT_RADIUS);
        c.getStyleClass().addAll("port", "port-" + kind);
        return c;
    }

    /** Shows {@code node} as the last inference saw it; {@code info} is null where the shape is unknown. */
    void update(Node node, NodeInfo info, List<Problem> problems, boolean selected, int usedPorts) {
        relocate(node.x(), node.y());
        LayerType t = LayerTypes.find(node.type()).orElse(null);
        setText(type, t == null ? node.type() : t.displayName());
        setText(label, node.label());
        setText(params, t == null ? "" : NodeCaption.keyParams(node, t));
        setText(shape, info == null ? "—" : "→ " + NodeCaption.shape(info.outputShape()));
        long params = info == null ? 0 : info.parameters();
        // formatting a message per node per edit adds up at 300 nodes: only when the count or language changed
        if (params != shownParams || I18n.locale() != shownLocale) {
            shownParams = params;
            shownLocale = I18n.locale();
            String compact = NodeCaption.compactCount(params);
            countForms = params == 0 ? new String[] {""} : new String[] {
                I18n.text("node.params", NodeCaption.count(params)), I18n.text("node.params", compact), compact};
            setText(count, countForms[0]);
        }
        String wantIcon = t == null ? null : t.icon();
        if (wantIcon != null && !wantIcon.equals(iconName)) {
            iconName = wantIcon;
            icon.setImage(Icons.get(wantIcon));
        }
        pseudoClassStateChanged(SELECTED, selected);
        pseudoClassStateChanged(INPUT, t != null && t.isInput());
        boolean bad = !problems.isEmpty();
        pseudoClassStateChanged(PROBLEM, bad);
        if (bad) {
            problemTip.setText(problems.stream().map(Problem::message).collect(Collectors.joining("\n")));
            if (!tipInstalled) {
                Tooltip.install(this, problemTip);
                tipInstalled = true;
            }
        } else if (tipInstalled) {
            Tooltip.uninstall(this, problemTip);
            tipInstalled = false;
        }
        int ports = t == null ? 1 : t.maxInputs() == Integer.MAX_VALUE ? Math.max(2, usedPorts + 1)
                : t.maxInputs();
        layoutInputPorts(ports);
    }

    /**
     * Beside a long output shape ({@code → 16×10×10}) "2,416 params" does not fit the node: the count then reads
     * "2.4k params", or "2.4k", rather than "2,416 par…". Decided as the footer is laid out, when the labels have
     * their fonts; the Inspector gives the exact count.
     */
    private void fitCount(HBox footer) {
        // the shape, the spacer and the count: two gaps
        double room = footer.getWidth() - footer.snappedLeftInset() - footer.snappedRightInset()
                - shape.prefWidth(-1) - 2 * footer.getSpacing();
        MEASURE.setFont(count.getFont());
        String chosen = countForms[countForms.length - 1];
        for (String form : countForms) {
            MEASURE.setText(form);
            if (Math.ceil(MEASURE.getLayoutBounds().getWidth()) + 1 <= room) {
                chosen = form;
                break;
            }
        }
        setText(count, chosen);
    }

    private static void setText(Label l, String s) {
        if (!s.equals(l.getText())) {
            l.setText(s);
        }
    }

    private void layoutInputPorts(int n) {
        while (inputPorts.size() < n) {
            Circle c = port("in");
            c.getProperties().put("port", inputPorts.size());
            inputPorts.add(c);
            getChildren().add(c);
        }
        while (inputPorts.size() > n) {
            getChildren().remove(inputPorts.remove(inputPorts.size() - 1));
        }
        for (int i = 0; i < n; i++) {
            inputPorts.get(i).setCenterX(0);
            inputPorts.get(i).setCenterY(inputPortY(i, n));
        }
    }

    private static double inputPortY(int i, int n) {
        return HEIGHT * (i + 1) / (n + 1);
    }

    /** Where input {@code port} sits, in canvas (world) coordinates. */
    Point2D inputPoint(int port) {
        int n = Math.max(inputPorts.size(), port + 1);
        return new Point2D(getLayoutX(), getLayoutY() + inputPortY(port, n));
    }

    /** Where the output port sits, in canvas (world) coordinates. */
    Point2D outputPoint() {
        return new Point2D(getLayoutX() + WIDTH, getLayoutY() + HEIGHT / 2);
    }

}
