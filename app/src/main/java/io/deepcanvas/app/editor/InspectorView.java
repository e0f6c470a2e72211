package io.deepcanvas.app.editor;

import atlantafx.base.theme.Styles;
import io.deepcanvas.app.i18n.I18n;
import io.deepcanvas.app.model.EditorModel;
import io.deepcanvas.engine.graph.LayerType;
import io.deepcanvas.engine.graph.LayerTypes;
import io.deepcanvas.engine.graph.Node;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javafx.application.Platform;
import javafx.collections.SetChangeListener;
import javafx.scene.control.Accordion;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TitledPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.controlsfx.control.PropertySheet;

/**
 * The inspector: a ControlsFX {@link PropertySheet} of the selected layer (its name, its hyperparameters from the
 * layer's schema, and what shape inference worked out), of the project's training settings when nothing is selected,
 * or a note when several layers are.
 *
 * <p>The sheet is rebuilt only when what it shows changes (another layer, another optimizer, another language);
 * after an ordinary edit, undo or redo the editors refresh their values in place, so a field being typed in is never
 * replaced. Text fields validate on every keystroke and commit on Enter or focus loss (see {@link InspectorEditors}).
 */
public final class InspectorView extends VBox {
    /** Group order in the sheet (ControlsFX would sort them by name). */
    private static final List<String> GROUPS = List.of("inspector.group.layer", "inspector.group.params",
            "inspector.group.inferred", "inspector.group.training", "inspector.group.optimizer");

    private final EditorModel model;
    private final Label heading = new Label();
    private final Label subheading = new Label();
    private final Label lockedNote = new Label();
    private final Label many = new Label();
    private final PropertySheet sheet = new PropertySheet();
    private final Label error = new Label();
    /** The editor of each row the sheet shows, to refresh in place. */
    private final Map<PropertySheet.Item, InspectorEditors.Editor> editors = new IdentityHashMap<>();
    /** Text fields whose text is invalid, with the message: the last one reported shows under the sheet. */
    private final Map<InspectorEditors.Editor, String> errors = new LinkedHashMap<>();
    /** The groups the user closed (bundle keys): closed for every layer until opened again. */
    private final Set<String> closedGroups = new HashSet<>();
    /** What the sheet shows now, as {@link #shows()} names it. */
    private String shown;
    private boolean rebuildPending;
    private boolean rebuilding;

    public InspectorView(EditorModel model) {
        this.model = model;
        setId("inspector");
        getStyleClass().add("inspector");
        createView();
        initListeners();
        rebuild();
    }

    /**
     * Puts the keyboard in the selected layer's first parameter field (Enter on the canvas edits the layer); false
     * when there is none to edit (no layer, several, a layer without parameters, or locked). Works right after a
     * selection, before the sheet's deferred rebuild.
     */
    public boolean focusFirstParameter() {
        if (!shows().equals(shown)) {
            rebuild();
        }
        sheet.applyCss(); // the sheet's skin, which creates the editors, may not exist yet
        for (PropertySheet.Item item : sheet.getItems()) {
            InspectorEditors.Editor e = editors.get(item);
            if (e != null && ((InspectorItem) item).id().startsWith("param-")
                    && ((InspectorItem) item).kind() != InspectorItem.Kind.DISPLAY && !e.getEditor().isDisabled()) {
                e.getEditor().requestFocus();
                return true;
            }
        }
        return false;
    }

    private void createView() {
        heading.setId("inspectorTitle");
        heading.getStyleClass().add("inspector-heading");
        subheading.setId("inspectorSubtitle");
        subheading.getStyleClass().addAll("inspector-subheading", Styles.TEXT_MUTED);
        subheading.setWrapText(true);
        // all its lines, not one and an ellipsis, when the property sheet below wants the height
        subheading.setMinHeight(Region.USE_PREF_SIZE);
        lockedNote.setId("inspectorLocked");
        lockedNote.getStyleClass().add("locked-note");
        lockedNote.setWrapText(true);
        lockedNote.setMinHeight(Region.USE_PREF_SIZE);
        lockedNote.textProperty().bind(I18n.bind("inspector.locked"));
        lockedNote.visibleProperty().bind(model.lockedProperty());
        lockedNote.managedProperty().bind(lockedNote.visibleProperty());
        many.setId("inspectorMany");
        many.getStyleClass().addAll("inspector-many", Styles.TEXT_MUTED);
        many.setWrapText(true);
        sheet.setId("inspectorSheet");
        sheet.setMode(PropertySheet.Mode.CATEGORY);
        sheet.setModeSwitcherVisible(false);
        sheet.setSearchBoxVisible(false); // a dozen rows at most: a search box would be clutter
        sheet.setCategoryComparator((a, b) -> Integer.compare(groupOrder(a), groupOrder(b)));
        sheet.setPropertyEditorFactory(item -> {
            InspectorEditors.Editor e = InspectorEditors.create((InspectorItem) item, model.lockedProperty(),
                    this::showError);
            editors.put(item, e);
            e.refresh();
            return e;
        });
        sheet.skinProperty().addListener((o, a, skin) -> watchSkin());
        VBox.setVgrow(sheet, Priority.ALWAYS);
        error.setId("inspectorError");
        error.getStyleClass().add("inspector-error");
        error.pseudoClassStateChanged(Styles.STATE_DANGER, true);
        error.setWrapText(true);
        error.managedProperty().bind(error.visibleProperty());
        error.setVisible(false);
        getChildren().addAll(heading, subheading, lockedNote, many, sheet, error);
    }

    /** The group's place in {@link #GROUPS}, from its title in the current language. */
    private static int groupOrder(String title) {
        for (int i = 0; i < GROUPS.size(); i++) {
            if (I18n.text(GROUPS.get(i)).equals(title)) {
                return i;
            }
        }
        return GROUPS.size();
    }

    private void initListeners() {
        model.revisionProperty().addListener((o, a, b) -> update());
        model.selection().addListener((SetChangeListener<String>) c -> update());
        I18n.onChange(this, () -> update());
    }

    /**
     * What the sheet should show, as a key: it is rebuilt when the key changes. A layer's label is not part of it
     * (renaming refreshes in place), its type is; for training, the optimizer (which decides the rows).
     */
    private String shows() {
        String language = I18n.locale().toLanguageTag() + "|";
        int n = model.selection().size();
        if (n > 1) {
            return language + "many:" + n;
        }
        Node node = model.selectedNode();
        if (node != null) {
            return language + "layer:" + node.id() + ":" + node.type();
        }
        return language + "training:" + model.training().optimizer().type();
    }

    private void update() {
        if (rebuilding) {
            return;
        }
        if (shows().equals(shown)) {
            refresh();
        } else if (!rebuildPending) {
            // later in this pulse: select() clears then adds, and a combo box should not lose its scene while it
            // is still firing the pick that changed the optimizer
            rebuildPending = true;
            Platform.runLater(() -> {
                rebuildPending = false;
                if (!shows().equals(shown)) {
                    rebuild();
                }
            });
        }
    }

    /** New values into the existing editors (after an edit, undo or redo); the heading follows a rename. */
    private void refresh() {
        editors.values().forEach(InspectorEditors.Editor::refresh);
        updateHeading();
    }

    private void rebuild() {
        rebuilding = true;
        try {
            // a value typed but not yet committed belongs to what was shown; the editors know whose it is
            new ArrayList<>(editors.values()).forEach(InspectorEditors.Editor::commitPending);
            editors.clear();
            errors.clear();
            showError(null, null);
            shown = shows();
            List<InspectorItem> items = items();
            many.setVisible(items == null);
            many.setManaged(items == null);
            sheet.setVisible(items != null);
            sheet.setManaged(items != null);
            sheet.getItems().setAll(items == null ? List.of() : items);
            updateHeading();
        } finally {
            rebuilding = false;
        }
    }

    /** The rows for what is selected; null when several layers are. */
    private List<InspectorItem> items() {
        int n = model.selection().size();
        if (n > 1) {
            many.setText(I18n.text("inspector.many", n));
            return null;
        }
        Node node = model.selectedNode();
        if (node == null) {
            return InspectorTrainingItems.build(model);
        }
        LayerType type = LayerTypes.find(node.type()).orElse(null);
        // an unknown type (from a newer file) has no schema to edit: its problem says so
        return type == null ? List.of() : InspectorLayerItems.build(model, node.id(), type);
    }

    private void updateHeading() {
        Node node = model.selectedNode();
        int n = model.selection().size();
        if (n > 1) {
            heading.setText(""); // the note in place of the sheet says it
            subheading.setText("");
        } else if (node != null) {
            LayerType type = LayerTypes.find(node.type()).orElse(null);
            heading.setText(I18n.text("inspector.heading", node.label(), type == null ? node.type()
                    : type.displayName()));
            String key = "layer." + node.type();
            subheading.setText(I18n.has(key) ? I18n.text(key) : type == null ? "" : type.description());
        } else {
            heading.setText(I18n.text("inspector.trainingTitle"));
            subheading.setText(I18n.text("inspector.trainingHint"));
        }
        heading.setVisible(!heading.getText().isEmpty());
        heading.setManaged(heading.isVisible());
        subheading.setVisible(!subheading.getText().isEmpty());
        subheading.setManaged(subheading.isVisible());
    }

    // ---- validation messages ------------------------------------------------------------------------------

    private void showError(InspectorEditors.Editor source, String message) {
        if (source != null && !editors.containsValue(source)) {
            return; // an editor of a sheet already replaced, reverting as it leaves the scene
        }
        if (source != null) {
            errors.remove(source);
            if (message != null) {
                errors.put(source, message); // last reported, last shown
            }
        }
        String last = null;
        for (String m : errors.values()) {
            last = m;
        }
        error.setText(last == null ? "" : last);
        error.setVisible(last != null);
    }

    // ---- groups --------------------------------------------------------------------------------------------

    /**
     * ControlsFX puts the groups in an accordion, which opens one at a time: a layer's name would hide its
     * parameters. Whenever the skin builds one, its panes move into a plain column instead, all open but those
     * the user closed (remembered by group, across layers). If a later ControlsFX builds something else, the sheet
     * is left as it is.
     */
    private void watchSkin() {
        if (sheet.lookup(".scroll-pane") instanceof ScrollPane scroll) {
            scroll.contentProperty().addListener((o, a, content) -> ungroup(scroll));
            ungroup(scroll);
        }
    }

    private void ungroup(ScrollPane scroll) {
        if (!(scroll.getContent() instanceof Accordion accordion)) {
            return;
        }
        List<TitledPane> panes = new ArrayList<>(accordion.getPanes());
        accordion.getPanes().clear();
        for (TitledPane pane : panes) {
            int group = groupOrder(pane.getText());
            String key = group < GROUPS.size() ? GROUPS.get(group) : pane.getText();
            pane.setAnimated(false);
            pane.setExpanded(!closedGroups.contains(key));
            pane.setAnimated(true);
            pane.expandedProperty().addListener((o, was, open) -> {
                if (open) {
                    closedGroups.remove(key);
                } else {
                    closedGroups.add(key);
                }
            });
        }
        VBox column = new VBox(panes.toArray(TitledPane[]::new));
        column.getStyleClass().add("inspector-groups");
        scroll.setContent(column);
    }
}
