package io.treeprop.spark.train;

import java.io.Serializable;

/** What each step broadcasts: the parameter and state vectors. */
public final class Weights implements Serializable {
  private static final long serialVersionUID = 1L;

  public float[] params;
  public float[] state;

  /** For Kryo. */
  public Weights() {}

  public Weights(float[] params, float[] state) {
    this.params = params;
    this.state = state;
  }
}
