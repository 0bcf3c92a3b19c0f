package io.treeprop.jobs;

import io.treeprop.core.model.Model;
import io.treeprop.spark.ml.ModelData;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Output paths of the commands: refused early when taken, written atomically. */
final class Outputs {
  private Outputs() {}

  /** Fails before any work when {@code path} exists and may not be replaced. */
  static void requireWritable(String path, boolean overwrite, Configuration hadoop) throws IOException {
    Path p = new Path(path);
    if (p.getFileSystem(hadoop).exists(p) && !overwrite) {
      throw new IllegalArgumentException("output " + path + " already exists; choose another path, or set "
          + "output.overwrite = true (--overwrite for score)");
    }
  }

  /** Writes the model into a temporary sibling and renames it into place. */
  static void saveModel(Model model, String dir, boolean overwrite, Configuration hadoop) throws IOException {
    Path target = new Path(dir);
    FileSystem fs = target.getFileSystem(hadoop);
    Path tmp = new Path(target.getParent(), "." + target.getName() + ".tmp-" + System.nanoTime());
    try {
      ModelData.save(model, tmp.toString(), hadoop);
      if (fs.exists(target)) {
        if (!overwrite) {
          throw new IllegalArgumentException("output " + dir + " appeared while training; not replacing it");
        }
        fs.delete(target, true);
      }
      if (!fs.rename(tmp, target)) {
        throw new IOException("cannot rename " + tmp + " to " + target);
      }
    } finally {
      if (fs.exists(tmp)) {
        fs.delete(tmp, true);
      }
    }
  }
}
