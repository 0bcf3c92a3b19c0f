package io.treeprop.jobs;

import io.treeprop.core.layer.Layer;
import io.treeprop.core.model.EpochMetrics;
import io.treeprop.core.model.Json;
import io.treeprop.core.model.Model;
import io.treeprop.core.model.ModelFiles;
import io.treeprop.core.param.ParamLayout;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Prints a saved model's per-layer table ({@link LayerTable}), its layer specs and parameter blocks, classes and
 * training summary.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
    description = "Show a model's layers as a table (type, output shape, parameters; residual blocks' inner "
        + "layers indented), its parameter blocks, classes and training summary.")
final class InspectCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, description = "Model directory (model.json + params.bin).")
  Path model;

  @Override
  public Integer call() throws Exception {
    Model m = ModelFiles.load(model);
    System.out.println("model " + model.toAbsolutePath());
    System.out.println("input " + m.network().inputShape() + ", loss " + (m.loss() == null ? "-" : m.loss().name()));
    LayerTable.lines(m.spec()).forEach(System.out::println);
    System.out.println("layers as specified:");
    for (int i = 0; i < m.network().layers().size(); i++) {
      Layer l = m.network().layers().get(i);
      System.out.printf("  %2d  %-50s %-12s -> %s%n", i, Json.writeCompact(m.spec().layers().get(i)),
          l.inputShape(), l.outputShape());
    }
    System.out.println("parameter and state blocks (offsets in params.bin):");
    for (ParamLayout.Block b : m.network().layout().paramBlocks()) {
      System.out.printf("  param %-18s %-16s offset %,d  size %,d%n", b.name(), java.util.Arrays.toString(b.shape()),
          b.offset(), b.size());
    }
    for (ParamLayout.Block b : m.network().layout().stateBlocks()) {
      System.out.printf("  state %-18s %-16s offset %,d  size %,d%n", b.name(), java.util.Arrays.toString(b.shape()),
          b.offset(), b.size());
    }
    System.out.printf("parameters %,d, state %,d%n", m.params().length, m.state().length);
    if (io.treeprop.jobs.score.Reconstruction.of(m)) {
      int e = io.treeprop.jobs.score.Reconstruction.encodingLayer(m);
      System.out.println("task reconstruction (an autoencoder): score writes reconstruction_error"
          + (e < 0 ? "" : " and encoding, the output of layer " + e + " " + m.network().layers().get(e).outputShape()));
    }
    var mapping = io.treeprop.jobs.data.LabelMapping.fromMetadata(m.metadata());
    if (mapping.isPresent()) {
      System.out.println("classes " + mapping.get().labels() + (mapping.get().numeric() ? " (numbers)" : "")
          + ": probability columns in this order; score predicts these labels");
      if (!m.labels().isEmpty() && !m.labels().equals(mapping.get().labels())) {
        System.out.println("class names " + m.labels() + ": what reports call them");
      }
    } else if (!m.labels().isEmpty()) {
      System.out.println("labels " + m.labels());
    }
    io.treeprop.jobs.data.TrainingSource.fromMetadata(m.metadata()).ifPresent(t -> System.out.println(
        "trained on " + t.format() + " data" + (t.format().equals("csv") ? (t.header() ? " with a header" : " "
        + "without a header") + ", delimiter \"" + t.delimiter() + "\"" : "")
        + (t.labelColumn() == null ? "" : ", label column " + t.labelColumn())
        + (t.featureColumns() == null ? "" : ", feature columns " + t.featureColumns())
        + (t.featuresColumn() == null ? "" : ", features column " + t.featuresColumn())
        + "; evaluate and score read new data the same way unless told otherwise"));
    if (m.summary() != null) {
      System.out.printf("trained %d steps in %.1f s: %s%n", m.summary().steps(), m.summary().seconds(),
          m.summary().stopReason());
      for (EpochMetrics e : m.summary().epochs()) {
        System.out.printf("  epoch %d  loss %.4f%s%n", e.epoch(), e.trainLoss(),
            e.validationLoss() == null ? "" : String.format("  val_loss %.4f", e.validationLoss()));
      }
    }
    return 0;
  }
}
