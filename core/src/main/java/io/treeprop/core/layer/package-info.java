/**
 * Layers: serializable {@link io.treeprop.core.layer.LayerSpec}s and the stateless {@link
 * io.treeprop.core.layer.Layer} kernels they compile to, which read parameters and buffers from a {@link
 * io.treeprop.core.layer.Frame}.
 */
package io.treeprop.core.layer;
