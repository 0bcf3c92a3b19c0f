package io.treeprop.core.train;

import io.treeprop.core.layer.ActivationFunction;
import io.treeprop.core.model.Model;
import io.treeprop.core.model.NetworkSpec;
import io.treeprop.core.random.Seeds;

/**
 * Rosenblatt's perceptron learning rule for one threshold unit {@code ŷ = step(w·x + b)}:
 *
 * <pre>
 * for each row, in a shuffled order each epoch:  w += η (t − ŷ) x;  b += η (t − ŷ)
 * Rosenblatt, "The Perceptron: A Probabilistic Model for Information Storage and Organization in the Brain",
 * Psychological Review 65(6), 1958. Converges in finitely many updates iff the data are linearly separable
 * (Novikoff 1962); on XOR it never stops making mistakes.
 * </pre>
 *
 * @param learningRate η
 * @param maxEpochs passes over the data before giving up
 */
public record Perceptron(float learningRate, int maxEpochs) {
  public Perceptron {
    if (!(learningRate > 0) || !Float.isFinite(learningRate)) {
      throw new IllegalArgumentException("perceptron.learningRate (" + learningRate + ") must be positive");
    }
    if (maxEpochs < 1) {
      throw new IllegalArgumentException("perceptron.maxEpochs (" + maxEpochs + ") must be at least 1");
    }
  }

  /**
   * What the rule reached.
   *
   * @param model a {@code dense(1) → step} network holding the learned weights
   * @param epochs epochs run
   * @param errors mistakes in the last epoch; 0 means the data are separated
   */
  public record Result(Model model, int epochs, int errors) {
    public boolean converged() {
      return errors == 0;
    }
  }

  /**
   * Runs the rule from zero weights.
   *
   * @param x {@code [rows, features]}
   * @param t labels 0 or 1, {@code [rows]}
   */
  public Result fit(float[] x, float[] t, int rows, int features, long seed) {
    Dataset data = new Dataset(x, t, rows, features, 1);
    for (int r = 0; r < rows; r++) {
      if (t[r] != 0f && t[r] != 1f) {
        throw new IllegalArgumentException("row " + r + ", label is " + t[r] + ": perceptron labels must be 0 or 1");
      }
    }
    float[] w = new float[features + 1];
    int errors = 0;
    int epoch = 0;
    while (epoch < maxEpochs) {
      epoch++;
      errors = 0;
      int[] order = LocalTrainer.permutation(rows, Seeds.derive(seed, Seeds.SHUFFLE, epoch));
      for (int r : order) {
        double z = w[features];
        for (int j = 0; j < features; j++) {
          z += w[j] * data.x()[r * features + j];
        }
        float err = t[r] - (z >= 0 ? 1f : 0f);
        if (err != 0) {
          errors++;
          for (int j = 0; j < features; j++) {
            w[j] += learningRate * err * data.x()[r * features + j];
          }
          w[features] += learningRate * err;
        }
      }
      if (errors == 0) {
        break;
      }
    }
    NetworkSpec spec = NetworkSpec.input(features).dense(1).activation(ActivationFunction.STEP);
    return new Result(new Model(spec, w, null), epoch, errors);
  }
}
