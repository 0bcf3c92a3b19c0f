package io.treeprop.jobs.data;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A directory of images with one subdirectory per class, as Keras's {@code image_dataset_from_directory} and
 * torchvision's {@code ImageFolder} read it: {@code root/<class>/<any depth>/<file>}, the class named by the first
 * folder under the root. Read by Spark's own {@code image} data source (Java ImageIO: PNG, JPEG, BMP, GIF).
 *
 * <p>Each image becomes a feature vector of raw pixel values 0..255 in NCHW order: channel-major, R, G, B (or one
 * grey channel), then rows, then columns — the layout convolution layers take, shape {@code [channels, height,
 * width]}. Channels: grey images are read as 1, colour as 3 (alpha is dropped); {@code channels} converts every
 * image to one of them (grey = 0.299 R + 0.587 G + 0.114 B, rounded; colour from grey repeats it). Size: without
 * {@code size} every image must have the size of the first (in path order) — another size is an error naming the
 * file, its size and the fix; with {@code size = [h, w]} every image is resized to it by bilinear interpolation
 * (pixel centres aligned, as PyTorch's {@code interpolate(..., align_corners=False)}, no antialiasing).
 *
 * <p>Everything is checked by one Spark job before the features are built: a file that is not an image, or an
 * image directly under the root (no class folder), is an error naming the file; none is skipped silently.
 */
public final class ImageFolders {
  /** The column holding each image's path (its URI as Spark read it). */
  public static final String PATH = "path";

  private ImageFolders() {}

  /**
   * Images read and checked.
   *
   * @param frame columns {@value #PATH} (string), {@code features} (vector) and, unless unlabelled, {@code label}
   *     (the class folder's name)
   * @param shape {@code [channels, height, width]} of every feature vector
   * @param classes the class folders' names, sorted
   */
  public record Images(Dataset<Row> frame, long rows, int[] shape, List<String> classes, String description) {}

  /**
   * Reads {@code root}.
   *
   * @param channels 1 or 3 to convert every image, 0 to take the first image's (grey 1, colour 3)
   * @param size {@code [height, width]} to resize every image to, or null to require one size
   * @param labeled whether images sit in class folders (training, evaluation) or anywhere under the root (scoring)
   * @throws IllegalArgumentException for an empty folder, an unreadable file, an image outside a class folder, or
   *     (without {@code size}) an image of another size, naming the file
   */
  public static Images read(SparkSession spark, String root, int channels, int[] size, boolean labeled) {
    if (channels != 0 && channels != 1 && channels != 3) {
      throw new IllegalArgumentException("image data: channels (" + channels + ") must be 1 (grey) or 3 (colour)");
    }
    if (size != null && (size.length != 2 || size[0] < 1 || size[1] < 1)) {
      throw new IllegalArgumentException("image data: size " + Arrays.toString(size) + " must be [height, width], "
          + "both positive");
    }
    String description = "image data at " + root;
    String base = root.endsWith("/") ? root : root + "/";
    Dataset<Row> raw;
    try {
      raw = spark.read().format("image").option("dropInvalid", false).option("recursiveFileLookup", true)
          .load(root);
    } catch (Exception e) { // Scala's AnalysisException (a missing path) is checked in Java's eyes
      if (e instanceof org.apache.spark.sql.AnalysisException a) {
        throw new IllegalArgumentException(description + ": " + a.getSimpleMessage(), e);
      }
      throw e instanceof RuntimeException r ? r : new IllegalStateException(e);
    }
    Column origin = raw.col("image.origin");
    Dataset<Row> meta = raw.select(origin.as("origin"), raw.col("image.height").as("h"),
        raw.col("image.width").as("w"), raw.col("image.nChannels").as("c")).cache();
    try {
      List<Row> first = meta.orderBy("origin").limit(1).collectAsList();
      if (first.isEmpty()) {
        throw new IllegalArgumentException(description + ": no image files found (PNG, JPEG, BMP or GIF, in one "
            + "folder per class)");
      }
      List<Row> unreadable = meta.where("h < 0").orderBy("origin").limit(3).collectAsList();
      if (!unreadable.isEmpty()) {
        throw new IllegalArgumentException(description + ": " + files(unreadable) + " cannot be read as an image "
            + "(PNG, JPEG, BMP or GIF); remove or replace " + (unreadable.size() > 1 ? "them" : "it"));
      }
      String rootUri = uriOf(first.get(0).getString(0), base);
      if (labeled) {
        // the path below the root has no folder in it
        List<Row> loose = meta.where(functions.expr("instr(substring(origin, " + (rootUri.length() + 1)
            + "), '/') = 0")).orderBy("origin").limit(3).collectAsList();
        if (!loose.isEmpty()) {
          throw new IllegalArgumentException(description + ": " + files(loose) + " is not inside a class folder; "
              + "put each image in a folder named after its class (root/<class>/<file>)");
        }
      }
      int h0 = first.get(0).getInt(1);
      int w0 = first.get(0).getInt(2);
      int c = channels != 0 ? channels : (first.get(0).getInt(3) == 1 ? 1 : 3);
      int[] target = size != null ? size.clone() : new int[] {h0, w0};
      if (size == null) {
        List<Row> other = meta.where("h != " + h0 + " OR w != " + w0).orderBy("origin").limit(1).collectAsList();
        if (!other.isEmpty()) {
          Row r = other.get(0);
          throw new IllegalArgumentException(description + ": " + r.getString(0) + " is " + r.getInt(1) + "×"
              + r.getInt(2) + " pixels, the first image (" + first.get(0).getString(0) + ") " + h0 + "×" + w0
              + "; images must have one size: set size = [" + h0 + ", " + w0 + "] to resize them all");
        }
      }
      long rows = meta.count();
      Convert convert = new Convert(rootUri.length(), c, target[0], target[1], labeled);
      StructType schema = new StructType().add(PATH, DataTypes.StringType, false)
          .add(SourceData.FEATURES, SQLDataTypes.VectorType(), false);
      if (labeled) {
        schema = schema.add(SourceData.LABEL, DataTypes.StringType, false);
      }
      Dataset<Row> frame = raw.map(convert, Encoders.row(schema));
      List<String> classes = new ArrayList<>();
      if (labeled) {
        for (Row r : frame.select(SourceData.LABEL).distinct().orderBy(SourceData.LABEL).collectAsList()) {
          classes.add(r.getString(0));
        }
      }
      return new Images(frame, rows, new int[] {c, target[0], target[1]}, classes, description);
    } finally {
      meta.unpersist();
    }
  }

  /** The root's URI prefix as Spark writes origins (e.g. {@code file:/tmp/x/}), from one origin under it. */
  private static String uriOf(String origin, String base) {
    String plainBase = base.replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*:", "").replaceFirst("^//[^/]*", "");
    int at = origin.indexOf(plainBase);
    return at >= 0 ? origin.substring(0, at + plainBase.length()) : base;
  }

  private static String files(List<Row> rows) {
    List<String> names = new ArrayList<>();
    for (Row r : rows) {
      names.add(r.getString(0));
    }
    return names.size() == 1 ? names.get(0) : String.join(", ", names);
  }

  /** One image row to (path, features, label): channels converted, resized, NCHW, R G B order. */
  private static final class Convert implements MapFunction<Row, Row>, Serializable {
    private static final long serialVersionUID = 1L;
    private final int prefix;
    private final int channels;
    private final int height;
    private final int width;
    private final boolean labeled;

    Convert(int prefix, int channels, int height, int width, boolean labeled) {
      this.prefix = prefix;
      this.channels = channels;
      this.height = height;
      this.width = width;
      this.labeled = labeled;
    }

    @Override
    public Row call(Row row) {
      Row img = row.getStruct(0);
      String origin = img.getString(img.fieldIndex("origin"));
      int h = img.getInt(img.fieldIndex("height"));
      int w = img.getInt(img.fieldIndex("width"));
      int n = img.getInt(img.fieldIndex("nChannels"));
      byte[] data = (byte[]) img.get(img.fieldIndex("data"));
      double[] planes = planes(data, h, w, n);
      double[] out = h == height && w == width ? planes : Pixels.resizeBilinear(planes, channels, h, w, height, width);
      if (!labeled) {
        return RowFactory.create(origin, Vectors.dense(out));
      }
      String rel = origin.substring(prefix);
      return RowFactory.create(origin, Vectors.dense(out), rel.substring(0, rel.indexOf('/')));
    }

    /** Spark's interleaved B, G, R(, A) bytes (or grey) as this reader's channel planes. */
    private double[] planes(byte[] data, int h, int w, int n) {
      double[] out = new double[channels * h * w];
      int plane = h * w;
      for (int p = 0; p < plane; p++) {
        int o = p * n;
        if (n == 1) {
          double g = data[o] & 0xff;
          for (int ch = 0; ch < channels; ch++) {
            out[ch * plane + p] = g;
          }
        } else {
          double b = data[o] & 0xff;
          double g = data[o + 1] & 0xff;
          double r = data[o + 2] & 0xff;
          if (channels == 1) {
            out[p] = Math.round(0.299 * r + 0.587 * g + 0.114 * b);
          } else {
            out[p] = r;
            out[plane + p] = g;
            out[2 * plane + p] = b;
          }
        }
      }
      return out;
    }
  }
}
