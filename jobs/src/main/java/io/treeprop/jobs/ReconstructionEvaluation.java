package io.treeprop.jobs;

import io.treeprop.core.layer.LayerSpec;
import io.treeprop.core.model.Model;
import io.treeprop.core.model.Network;
import io.treeprop.core.model.NetworkSpec;
import io.treeprop.core.model.Workspace;
import io.treeprop.core.tensor.Shape;
import io.treeprop.jobs.data.Scaling;
import io.treeprop.jobs.data.SourceData;
import io.treeprop.jobs.report.ReconstructionGrid;
import io.treeprop.jobs.report.ReconstructionReport;
import io.treeprop.jobs.score.Reconstruction;
import io.treeprop.jobs.score.Scoring;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * Evaluates an autoencoder ({@code model.task = reconstruction}): each row's reconstruction error as
 * {@code score} computes it, averaged by one Spark aggregation, and for images the picture of the first
 * {@link ReconstructionGrid#LIMIT} test images (the data's first rows), their noisy versions and the network's
 * reconstructions.
 *
 * <p>The noisy row: the network's leading {@code noise} layers run alone in training mode with the fixed pass
 * seed {@value #PICTURE_SEED}, so the picture is the same on every run; the whole network then runs in inference
 * (its noise layers are identity there) on that corrupted input, which is what a denoising autoencoder is asked to
 * repair. Both are unscaled to the data's units with the model's scaling.
 */
final class ReconstructionEvaluation {
  /** The pass seed of the picture's noise. */
  static final long PICTURE_SEED = 1;

  private ReconstructionEvaluation() {}

  /** Every row's reconstruction error as {@code score} computes it, averaged, and the largest, in one Spark job. */
  static ReconstructionReport metrics(SparkSession spark, Model model, SourceData data) {
    Row r = Scoring.scoreIndices(spark, model, data).agg(functions.count(functions.lit(1)),
        functions.avg(Reconstruction.ERROR), functions.max(Reconstruction.ERROR)).first();
    long rows = r.getLong(0);
    if (rows == 0) {
      throw new IllegalArgumentException(data.description() + " has no rows to evaluate");
    }
    return new ReconstructionReport(rows, data.features(), r.getDouble(1), r.getDouble(2));
  }

  /** The picture's images, or null when the data are not images. */
  static ReconstructionGrid grid(Model model, SourceData data) {
    Shape shape = data.shape();
    if (!Mistakes.drawable(shape)) {
      return null;
    }
    List<double[]> inputs = new ArrayList<>();
    for (Row r : data.frame().select(SourceData.FEATURES).limit(ReconstructionGrid.LIMIT).collectAsList()) {
      inputs.add(((Vector) r.get(0)).toArray());
    }
    if (inputs.isEmpty()) {
      return null;
    }
    Scaling scaling = Scaling.fromMetadata(model.metadata());
    int d = data.features();
    List<double[]> scaled = new ArrayList<>();
    for (double[] x : inputs) {
      double[] v = x.clone();
      scaling.apply(v, d);
      scaled.add(v);
    }
    List<LayerSpec> noise = leadingNoise(model.spec());
    List<double[]> seen = noise.isEmpty() ? scaled
        : forward(new NetworkSpec(model.spec().input(), noise).compile(), new float[0], new float[0], scaled, true);
    List<double[]> out = forward(model.network(), model.params(), model.state(), seen, false);
    List<double[]> noisy = noise.isEmpty() ? null : unscaled(seen, scaling, d);
    return new ReconstructionGrid(shape.channels(), shape.height(), shape.width(), inputs, noisy,
        unscaled(out, scaling, d));
  }

  /** The noise layers the network starts with. */
  private static List<LayerSpec> leadingNoise(NetworkSpec spec) {
    List<LayerSpec> noise = new ArrayList<>();
    for (LayerSpec l : spec.layers()) {
      if (!(l instanceof LayerSpec.Noise)) {
        break;
      }
      noise.add(l);
    }
    return noise;
  }

  private static List<double[]> forward(Network net, float[] params, float[] state, List<double[]> rows,
      boolean training) {
    int d = net.inputShape().size();
    int k = net.outputShape().size();
    Workspace ws = net.newWorkspace(rows.size(), false);
    float[] in = ws.input();
    for (int i = 0; i < rows.size(); i++) {
      for (int j = 0; j < d; j++) {
        in[i * d + j] = (float) rows.get(i)[j];
      }
    }
    float[] y = net.forward(ws, params, state, rows.size(), training, PICTURE_SEED);
    List<double[]> out = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      double[] v = new double[k];
      for (int j = 0; j < k; j++) {
        v[j] = y[i * k + j];
      }
      out.add(v);
    }
    return out;
  }

  private static List<double[]> unscaled(List<double[]> rows, Scaling scaling, int d) {
    List<double[]> out = new ArrayList<>();
    for (double[] v : rows) {
      double[] u = v.clone();
      scaling.unapply(u, d);
      out.add(u);
    }
    return out;
  }
}
