/**
 * Layers: serializable {@link io.treeprop.core.layer.LayerSpec}s and the stateless {@link
 * io.treeprop.core.layer.Layer} kernels they compile to, which read what a pass shares from a {@link
 * io.treeprop.core.layer.Pass} and their own buffers and offsets from a {@link io.treeprop.core.layer.Frame}. The
 * {@link io.treeprop.core.layer.Sequence} is the engine's one forward/backward loop, run by networks and by blocks
 * made of layers ({@link io.treeprop.core.layer.ResidualLayer}). Image layers take NCHW rows.
 */
package io.treeprop.core.layer;
