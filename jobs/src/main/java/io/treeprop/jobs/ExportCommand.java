package io.treeprop.jobs;

import io.treeprop.core.model.Model;
import io.treeprop.core.model.ModelFiles;
import io.treeprop.onnx.OnnxExport;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code treeprop export --model M --format onnx --output model.onnx}: the model as an ONNX file that takes raw
 * features (the model's scaling is in the graph). No Spark; local paths, as {@code inspect}.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
    description = "Export a saved model to another format (onnx): the graph takes raw features, the model's input "
        + "scaling included.")
final class ExportCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, description = "Model directory (model.json + params.bin).")
  Path model;

  @Option(names = "--format", required = true, description = "Export format: onnx.")
  String format;

  @Option(names = "--output", required = true, description = "The file to write, e.g. model.onnx.")
  Path output;

  @Option(names = "--overwrite", description = "Replace an existing output file.")
  boolean overwrite;

  @Override
  public Integer call() throws Exception {
    if (!"onnx".equals(format)) {
      throw new IllegalArgumentException("--format \"" + format + "\" is not supported; the export format is onnx");
    }
    if (java.nio.file.Files.exists(output) && !overwrite) {
      throw new IllegalArgumentException("--output: " + output + " already exists; choose another path, or pass "
          + "--overwrite");
    }
    Model m = ModelFiles.load(model);
    if (io.treeprop.jobs.score.Reconstruction.of(m)) {
      throw new IllegalArgumentException("model " + model + " is an autoencoder (model.task = reconstruction): its "
          + "graph would take raw features but give reconstructions in the scaled units it learnt in, so export of "
          + "autoencoders is not supported yet");
    }
    OnnxExport.write(m, output, overwrite);
    System.out.printf("exported %s to %s (ONNX opset %d): input \"%s\" [batch, %d] raw features, output \"%s\" "
        + "[batch, %d]%s%n", model, output, OnnxExport.OPSET, OnnxExport.INPUT, m.network().inputShape().size(),
        OnnxExport.OUTPUT, m.network().outputShape().size(), OnnxExport.classifier(m)
            ? ", \"" + OnnxExport.PROBABILITY + "\" and \"" + OnnxExport.CLASS_INDEX + "\"" : "");
    return 0;
  }
}
