/**
 * The layer types of the editor's palette, one class per layer; {@link io.deepcanvas.engine.graph.LayerTypes} lists
 * them. Each is the single description of its layer: schema, shape rule, counts, module factory and PyTorch code.
 */
package io.deepcanvas.engine.graph.layers;
