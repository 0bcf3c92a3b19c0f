package io.treeprop.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Map;

/** Runs an exported model in ONNX Runtime, the independent implementation the exports are checked against. */
final class Ort {
  private Ort() {}

  /** Every output of the model for {@code rows} rows of {@code x: [rows, inputs]}, by name. */
  static Map<String, Object> run(byte[] onnx, float[] x, int rows) throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
      opts.setIntraOpNumThreads(1);
      try (OrtSession s = env.createSession(onnx, opts);
          OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(x), new long[] {rows, x.length / rows});
          OrtSession.Result r = s.run(Map.of(OnnxExport.INPUT, in))) {
        Map<String, Object> out = new HashMap<>();
        for (Map.Entry<String, OnnxValue> e : r) {
          out.put(e.getKey(), e.getValue().getValue());
        }
        return out;
      }
    }
  }

  /** A {@code float[rows][k]} output as one row-major array. */
  static float[] flat(Object output) {
    float[][] m = (float[][]) output;
    int k = m[0].length;
    float[] r = new float[m.length * k];
    for (int i = 0; i < m.length; i++) {
      System.arraycopy(m[i], 0, r, i * k, k);
    }
    return r;
  }
}
