package io.treeprop.onnx;

import io.treeprop.core.tensor.Shape;
import org.tribuo.util.onnx.ONNXRef;

/**
 * A value in the graph being built and the Treeprop shape of one of its rows. Invariant: an image shape
 * {@code [c, h, w]} is an NCHW tensor {@code [batch, c, h, w]}, a vector shape {@code [d]} is {@code [batch, d]}.
 */
record Tensor(ONNXRef<?> ref, Shape shape) {}
