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

  /**
   * Fails before any work when {@code path} exists and may not be replaced, or cannot be written: its nearest
   * existing ancestor must be a directory where a file can be created (a probe file, deleted at once).
   *
   * @param key what names the output to the user, e.g. {@code output.model} or {@code --output}
   */
  static void requireWritable(String key, String path, boolean overwrite, Configuration hadoop) throws IOException {
    Path p = new Path(path);
    FileSystem fs = p.getFileSystem(hadoop);
    if (fs.exists(p) && !overwrite) {
      throw new IllegalArgumentException(key + ": " + path + " already exists; choose another path, or set "
          + "output.overwrite = true (--overwrite for evaluate and score)");
    }
    Path dir = p.getParent();
    while (dir != null && !fs.exists(dir)) {
      dir = dir.getParent();
    }
    if (dir == null) {
      return;
    }
    if (!fs.getFileStatus(dir).isDirectory()) {
      throw new IllegalArgumentException(key + ": cannot write " + path + ": " + dir + " is a file, not a "
          + "directory; choose another path");
    }
    Path probe = new Path(dir, ".treeprop-probe-" + System.nanoTime());
    try {
      fs.create(probe, false).close();
    } catch (IOException e) {
      throw new IllegalArgumentException(key + ": cannot write " + path + ": no permission to create files in "
          + dir + " (" + e.getClass().getSimpleName() + "); choose a writable path", e);
    } finally {
      fs.delete(probe, false);
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

  /** The file that marks a checkpoint directory as holding a finished run (the job saved its model). */
  static final String FINISHED = "_FINISHED";

  /**
   * Before training: a checkpoint directory that holds a finished run is never resumed. With {@code overwrite} it
   * is emptied (the run starts over); without, it is an error naming the fix.
   *
   * @return whether the directory was emptied
   */
  static boolean startOverIfFinished(String checkpointDir, boolean overwrite, Configuration hadoop)
      throws IOException {
    Path dir = new Path(checkpointDir);
    FileSystem fs = dir.getFileSystem(hadoop);
    if (!fs.exists(new Path(dir, FINISHED))) {
      return false;
    }
    if (!overwrite) {
      throw new IllegalArgumentException("training.checkpoints.dir: " + checkpointDir + " holds the checkpoints of a "
          + "finished run, which is never resumed; to train again from the start set output.overwrite = true "
          + "(its checkpoints are then replaced), or use another checkpoint directory");
    }
    fs.delete(dir, true);
    return true;
  }

  /** After the model is saved: marks the run's checkpoint directory as finished. */
  static void markFinished(String checkpointDir, String model, Configuration hadoop) throws IOException {
    Path marker = new Path(checkpointDir, FINISHED);
    try (var out = marker.getFileSystem(hadoop).create(marker, true)) {
      out.write(("finished; the model is at " + model + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
  }
}
