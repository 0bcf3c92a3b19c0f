package io.treeprop.core.layer;

import io.treeprop.core.tensor.Shape;

/**
 * Batch normalization per feature (after dense layers) or per channel (after convolutions), e.g.
 * {@code {"type": "batch_norm", "momentum": 0.1}}; statistics are those of one micro-batch in training and the
 * running ones in inference. See {@link BatchNormLayer}.
 *
 * @param momentum weight of the new micro-batch statistic in the running ones, in (0, 1]; default 0.1
 * @param epsilon added to the variance, > 0; default 1e-5
 */
public record BatchNormSpec(Float momentum, Float epsilon) implements LayerSpec {
  public static final float DEFAULT_MOMENTUM = 0.1f;
  public static final float DEFAULT_EPSILON = 1e-5f;

  public BatchNormSpec {
    if (momentum != null && !(momentum > 0 && momentum <= 1)) {
      throw new IllegalArgumentException("batch_norm.momentum (" + momentum + ") must be in (0, 1]");
    }
    if (epsilon != null && !(epsilon > 0 && Float.isFinite(epsilon))) {
      throw new IllegalArgumentException("batch_norm.epsilon (" + epsilon + ") must be a finite number > 0");
    }
  }

  /** Batch normalization with the default momentum and epsilon. */
  public BatchNormSpec() {
    this(null, null);
  }

  @Override
  public Layer compile(Shape input, LayerSpec next) {
    return new BatchNormLayer(input, momentum == null ? DEFAULT_MOMENTUM : momentum,
        epsilon == null ? DEFAULT_EPSILON : epsilon);
  }

  @Override
  public boolean transparentToInit() {
    return true;
  }
}
