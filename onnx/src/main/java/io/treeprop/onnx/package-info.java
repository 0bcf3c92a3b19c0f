/**
 * ONNX export of Treeprop models: {@link io.treeprop.onnx.OnnxExport} writes a saved model as an ONNX graph that
 * ONNX Runtime (or any ONNX consumer) runs on raw features. Depends on core only, never on Spark.
 */
package io.treeprop.onnx;
