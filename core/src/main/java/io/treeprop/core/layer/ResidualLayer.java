package io.treeprop.core.layer;

import io.treeprop.core.param.ParamLayout;
import io.treeprop.core.tensor.Shape;

/**
 * A residual block: inner layers {@code F} run by a {@link Sequence}, a shortcut {@code S}, their sum, then an
 * optional activation {@code a}.
 *
 * <pre>
 * y = a(F(x) + S(x)),   S = identity, or a projection (1×1 convolution with stride, or dense, no bias) when
 *                         F changes the shape
 * backward: d = a'(·) dy;  F and S back-propagate d;  dx = dF_x + dS_x
 * </pre>
 *
 * Parameters: the inner layers' blocks in scopes {@code 0, 1, …} of the block's scope, then the projection's in
 * {@code shortcut} (e.g. {@code 4/0/W}, {@code 4/shortcut/W}); state likewise. The block keeps its inner frames,
 * the projection's frame and the pre-activation sum in its frame's extension slot.
 *
 * <pre>He, Zhang, Ren, Sun, "Deep Residual Learning for Image Recognition", CVPR 2016</pre>
 */
public final class ResidualLayer implements Layer {
  private final Sequence body;
  private final Layer shortcut;
  private final Layer activation;

  /**
   * @param shortcut the projection, or null for identity (then the body must keep the shape)
   * @param activation applied to the sum, or null
   */
  public ResidualLayer(Sequence body, Layer shortcut, Layer activation) {
    Shape in = body.inputShape();
    Shape out = body.outputShape();
    if (shortcut == null ? !in.equals(out)
        : !shortcut.inputShape().equals(in) || !shortcut.outputShape().equals(out)) {
      throw new IllegalArgumentException("residual shortcut maps " + in + " to "
          + (shortcut == null ? in : shortcut.outputShape()) + " but the inner layers output " + out);
    }
    this.body = body;
    this.shortcut = shortcut;
    this.activation = activation;
  }

  /** The inner layers, declared in scopes {@code 0, 1, …} of the block's scope. */
  public Sequence body() {
    return body;
  }

  /** The projection on the shortcut (scope {@code shortcut}), or null for the identity. */
  public Layer shortcut() {
    return shortcut;
  }

  @Override
  public Shape inputShape() {
    return body.inputShape();
  }

  /** The activation applied to the sum, or null. */
  public Layer activation() {
    return activation;
  }

  @Override
  public Shape outputShape() {
    return body.outputShape();
  }

  @Override
  public boolean differentiable() {
    return body.layers().stream().allMatch(Layer::differentiable)
        && (activation == null || activation.differentiable());
  }

  /** The inner frames' buffers, the pre-activation sum, and the projection's output and input gradient. */
  @Override
  public long extraFloatsPerRow() {
    int out = outputShape().size();
    return body.floatsPerRow(false) + (activation == null ? 0 : out)
        + (shortcut == null ? 0 : out + inputShape().size());
  }

  @Override
  public void declare(ParamLayout.Builder layout) {
    body.declare(layout);
    if (shortcut != null) {
      layout.enter("shortcut");
      shortcut.declare(layout);
      layout.exit();
    }
  }

  /** The block's buffers for one frame. */
  private final class Inner {
    final Frame[] body;
    final Frame shortcut;
    final Frame activation;
    final float[] shortcutDx;

    Inner(Frame f) {
      int cap = f.capacity();
      int outSize = cap * outputShape().size();
      this.body = ResidualLayer.this.body.frames(cap, f.in(), f.dIn(), f.paramOffset(), f.stateOffset());
      float[] dSum = this.body[this.body.length - 1].dOut();
      this.shortcutDx = f.dIn() == null || ResidualLayer.this.shortcut == null ? null : new float[f.dIn().length];
      this.shortcut = ResidualLayer.this.shortcut == null ? null : new Frame(f.in(), new float[outSize], shortcutDx,
          dSum, cap, f.paramOffset() + ResidualLayer.this.body.paramCount(),
          f.stateOffset() + ResidualLayer.this.body.stateCount());
      this.activation = ResidualLayer.this.activation == null ? null
          : new Frame(new float[outSize], f.out(), dSum, f.dOut(), cap, 0, 0);
    }
  }

  @Override
  public void forward(Frame f) {
    Inner in = f.extension(() -> new Inner(f));
    int n = f.batch() * outputShape().size();
    body.forward(in.body, f.pass(), f.seed());
    float[] fx = in.body[in.body.length - 1].out();
    float[] sx = f.in();
    if (shortcut != null) {
      in.shortcut.bind(f.pass(), f.seed());
      shortcut.forward(in.shortcut);
      sx = in.shortcut.out();
    }
    float[] sum = activation == null ? f.out() : in.activation.in();
    for (int i = 0; i < n; i++) {
      sum[i] = fx[i] + sx[i];
    }
    if (activation != null) {
      in.activation.bind(f.pass(), f.seed());
      activation.forward(in.activation);
    }
  }

  @Override
  public void backward(Frame f) {
    Inner in = f.extension(() -> new Inner(f));
    int n = f.batch() * outputShape().size();
    float[] dSum = in.body[in.body.length - 1].dOut();
    if (activation != null) {
      activation.backward(in.activation);
    } else {
      System.arraycopy(f.dOut(), 0, dSum, 0, n);
    }
    body.backward(in.body, in.body.length);
    if (shortcut != null) {
      shortcut.backward(in.shortcut);
    }
    float[] dx = f.dIn();
    if (dx == null) {
      return;
    }
    float[] ds = shortcut == null ? dSum : in.shortcutDx;
    for (int i = 0, m = f.batch() * inputShape().size(); i < m; i++) {
      dx[i] += ds[i];
    }
  }
}
