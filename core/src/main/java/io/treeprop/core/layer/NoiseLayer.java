package io.treeprop.core.layer;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.treeprop.core.random.Seeds;
import io.treeprop.core.tensor.Shape;

/** Training-time input corruption; see {@link LayerSpec.Noise}. */
public final class NoiseLayer implements Layer {
  /** How values are corrupted. */
  public enum Kind {
    @JsonProperty("gaussian") GAUSSIAN,
    @JsonProperty("masking") MASKING
  }

  private final Shape shape;
  private final Kind kind;
  private final float amount;

  public NoiseLayer(Shape shape, Kind kind, float amount) {
    this.shape = shape;
    this.kind = kind;
    this.amount = amount;
  }

  @Override
  public Shape inputShape() {
    return shape;
  }

  @Override
  public Shape outputShape() {
    return shape;
  }

  /** Element-wise, its noise a function of the seed: runs in place. */
  @Override
  public boolean inPlace() {
    return true;
  }

  @Override
  public void forward(Frame f) {
    int n = f.batch() * shape.size();
    float[] x = f.in();
    float[] y = f.out();
    if (!f.training() || amount == 0f) {
      if (x != y) {
        System.arraycopy(x, 0, y, 0, n);
      }
      return;
    }
    long seed = f.seed();
    if (kind == Kind.MASKING) {
      for (int i = 0; i < n; i++) {
        y[i] = Seeds.uniform(seed, i) < amount ? 0f : x[i];
      }
    } else {
      for (int i = 0; i < n; i++) {
        // Box–Muller from two counter-based uniforms
        double u1 = 1.0 - Seeds.uniform(seed, 2L * i);
        double u2 = Seeds.uniform(seed, 2L * i + 1);
        y[i] = x[i] + amount * (float) (Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2));
      }
    }
  }

  @Override
  public void backward(Frame f) {
    float[] dx = f.dIn();
    if (dx == null) {
      return;
    }
    int n = f.batch() * shape.size();
    if (!f.training() || kind == Kind.GAUSSIAN || amount == 0f) {
      if (f.dOut() != dx) {
        System.arraycopy(f.dOut(), 0, dx, 0, n);
      }
      return;
    }
    for (int i = 0; i < n; i++) {
      dx[i] = Seeds.uniform(f.seed(), i) < amount ? 0f : f.dOut()[i];
    }
  }
}
