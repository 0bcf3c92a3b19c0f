package io.treeprop.spark.ml;

import io.treeprop.core.model.Model;
import io.treeprop.core.model.ModelFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Core model files (model.json + params.bin) on a Hadoop file system: the data part of a Spark ML model. */
public final class ModelData {
  /** Subdirectory of a Spark ML model directory that holds the core model. */
  public static final String DATA = "data";

  private ModelData() {}

  /** Writes {@code model} into {@code dir} (created). */
  public static void save(Model model, String dir, Configuration hadoop) throws IOException {
    Path d = new Path(dir);
    FileSystem fs = d.getFileSystem(hadoop);
    fs.mkdirs(d);
    try (OutputStream o = fs.create(new Path(d, ModelFiles.MODEL_JSON), true)) {
      ModelFiles.writeJson(model, o);
    }
    try (OutputStream o = new java.io.BufferedOutputStream(fs.create(new Path(d, ModelFiles.PARAMS_BIN), true))) {
      ModelFiles.writeParams(model.params(), model.state(), o);
    }
  }

  /** Reads the core model in {@code dir}. */
  public static Model load(String dir, Configuration hadoop) throws IOException {
    Path d = new Path(dir);
    FileSystem fs = d.getFileSystem(hadoop);
    for (String f : new String[] {ModelFiles.MODEL_JSON, ModelFiles.PARAMS_BIN}) {
      if (!fs.exists(new Path(d, f))) {
        throw new IllegalArgumentException("cannot load a model from " + dir + ": " + f + " is missing");
      }
    }
    try (InputStream j = fs.open(new Path(d, ModelFiles.MODEL_JSON));
        InputStream b = new java.io.BufferedInputStream(fs.open(new Path(d, ModelFiles.PARAMS_BIN)))) {
      return ModelFiles.read(j, b, dir);
    }
  }

  /** A core model from a Spark ML model directory (its {@code data/}) or a plain core model directory. */
  static Model loadAny(String dir, Configuration hadoop) {
    try {
      Path data = new Path(dir, DATA);
      boolean spark = data.getFileSystem(hadoop).exists(new Path(data, ModelFiles.MODEL_JSON));
      return load(spark ? data.toString() : dir, hadoop);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot read the model at " + dir, e);
    }
  }
}
