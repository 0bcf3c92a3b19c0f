package io.treeprop.onnx;

import io.treeprop.core.loss.Loss;
import io.treeprop.core.model.Model;
import io.treeprop.core.model.Network;
import io.treeprop.core.model.NetworkSpec;
import io.treeprop.core.param.ParamLayout;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Small random models: every parameter and running statistic away from its neutral value, so each one matters. */
final class Models {
  private Models() {}

  static Model random(NetworkSpec spec, Loss loss, Map<String, Object> metadata, long seed) {
    Network net = spec.compile();
    SplittableRandom rng = new SplittableRandom(seed);
    float[] params = net.initParams(seed);
    for (ParamLayout.Block b : net.layout().paramBlocks()) {
      for (int i = b.offset(); i < b.offset() + b.size(); i++) {
        params[i] += (float) (0.2 * gaussian(rng));
      }
    }
    float[] state = net.initState();
    for (ParamLayout.Block b : net.layout().stateBlocks()) {
      boolean variance = b.name().endsWith("running_var");
      for (int i = b.offset(); i < b.offset() + b.size(); i++) {
        state[i] = variance ? (float) rng.nextDouble(0.3, 2.0) : (float) (0.5 * gaussian(rng));
      }
    }
    return new Model(spec, params, state, loss, List.of(), null, metadata);
  }

  /** {@code rows × n} values {@code offset + scale · N(0, 1)}. */
  static float[] rows(int rows, int n, double offset, double scale, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] x = new float[rows * n];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (offset + scale * gaussian(rng));
    }
    return x;
  }

  static double gaussian(SplittableRandom rng) {
    return Math.sqrt(-2 * Math.log(1 - rng.nextDouble())) * Math.cos(2 * Math.PI * rng.nextDouble());
  }
}
