package io.treeprop.jobs.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treeprop.spark.LocalSpark;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Image folders read through Spark's image source, from real PNG and JPEG files written with ImageIO. */
@ExtendWith(LocalSpark.class)
class ImageFoldersTest {
  @TempDir
  Path tmp;

  /** A w×h image whose pixel (x, y) is (r, g, b) = (10x + y, 100 + y, 200 − x), grey = 10x + y. */
  private static BufferedImage image(int w, int h, boolean grey) {
    BufferedImage img = new BufferedImage(w, h, grey ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        if (grey) {
          img.getRaster().setSample(x, y, 0, 10 * x + y);
        } else {
          img.setRGB(x, y, ((10 * x + y) << 16) | ((100 + y) << 8) | (200 - x));
        }
      }
    }
    return img;
  }

  private static void write(BufferedImage img, Path file) throws Exception {
    Files.createDirectories(file.getParent());
    String format = file.toString().endsWith(".png") ? "png" : "bmp";
    assertTrue(ImageIO.write(img, format, file.toFile()), "ImageIO wrote " + file);
  }

  @Test
  void classFoldersBecomeLabelsAndPixelsBecomeNchwFeatures(SparkSession spark) throws Exception {
    Path root = tmp.resolve("colour");
    write(image(4, 3, false), root.resolve("cat/a.png"));
    write(image(4, 3, false), root.resolve("cat/nested/b.png"));
    write(image(4, 3, false), root.resolve("dog/c.bmp"));
    ImageFolders.Images images = ImageFolders.read(spark, root.toString(), 0, null, true);
    assertEquals(3, images.rows());
    assertArrayEquals(new int[] {3, 3, 4}, images.shape());
    assertEquals(List.of("cat", "dog"), images.classes());
    Map<String, Row> byName = new TreeMap<>();
    for (Row r : images.frame().collectAsList()) {
      String p = r.getString(0);
      byName.put(p.substring(p.lastIndexOf('/') + 1), r);
    }
    assertEquals("cat", byName.get("b.png").getString(2), "the first folder under the root names the class");
    assertEquals("dog", byName.get("c.bmp").getString(2));
    double[] f = ((Vector) byName.get("a.png").get(1)).toArray();
    assertEquals(3 * 3 * 4, f.length);
    // NCHW, R G B: channel c, row y, column x at c*12 + y*4 + x
    int x = 2;
    int y = 1;
    assertEquals(10 * x + y, f[y * 4 + x]);
    assertEquals(100 + y, f[12 + y * 4 + x]);
    assertEquals(200 - x, f[24 + y * 4 + x]);
  }

  @Test
  void greyImagesAreOneChannelAndChannelsConvert(SparkSession spark) throws Exception {
    Path root = tmp.resolve("grey");
    write(image(5, 2, true), root.resolve("a/1.png"));
    write(image(5, 2, false), root.resolve("b/2.png"));
    ImageFolders.Images images = ImageFolders.read(spark, root.toString(), 1, null, true);
    assertArrayEquals(new int[] {1, 2, 5}, images.shape());
    for (Row r : images.frame().collectAsList()) {
      double[] f = ((Vector) r.get(1)).toArray();
      if (r.getString(2).equals("a")) {
        assertEquals(10 * 3 + 1, f[1 * 5 + 3]);
      } else {
        assertEquals(Math.round(0.299 * 31 + 0.587 * 101 + 0.114 * 197), f[1 * 5 + 3], "grey from colour");
      }
    }
  }

  @Test
  void anotherSizeIsRefusedNamingTheFileUnlessResized(SparkSession spark) throws Exception {
    Path root = tmp.resolve("sizes");
    write(image(4, 4, true), root.resolve("a/1.png"));
    write(image(8, 6, true), root.resolve("b/2.png"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ImageFolders.read(spark, root.toString(), 0, null, true));
    assertTrue(e.getMessage().contains("2.png is 6×8 pixels") && e.getMessage().contains("size = [4, 4]"),
        e.getMessage());
    ImageFolders.Images resized = ImageFolders.read(spark, root.toString(), 0, new int[] {4, 4}, true);
    assertArrayEquals(new int[] {1, 4, 4}, resized.shape());
    assertEquals(2, resized.frame().count());
  }

  @Test
  void unreadableFilesAndLooseImagesAreNamed(SparkSession spark) throws Exception {
    Path root = tmp.resolve("bad");
    write(image(4, 4, true), root.resolve("a/1.png"));
    Files.writeString(root.resolve("a/notes.txt"), "not an image");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ImageFolders.read(spark, root.toString(), 0, null, true));
    assertTrue(e.getMessage().contains("notes.txt cannot be read as an image"), e.getMessage());
    Files.delete(root.resolve("a/notes.txt"));
    write(image(4, 4, true), root.resolve("loose.png"));
    e = assertThrows(IllegalArgumentException.class, () -> ImageFolders.read(spark, root.toString(), 0, null, true));
    assertTrue(e.getMessage().contains("loose.png is not inside a class folder"), e.getMessage());
    // unlabelled (scoring): anywhere under the root is fine
    assertEquals(2, ImageFolders.read(spark, root.toString(), 0, null, false).frame().count());
    e = assertThrows(IllegalArgumentException.class,
        () -> ImageFolders.read(spark, tmp.resolve("nothing-here").toString(), 0, null, true));
    assertTrue(e.getMessage().startsWith("image data at "), e.getMessage());
  }

  @Test
  void bilinearResizeAlignsPixelCentres() {
    // 2x2 -> 4x4, align_corners=False: corners keep their values, the middle interpolates
    double[] in = {0, 10, 20, 30};
    double[] out = Pixels.resizeBilinear(in, 1, 2, 2, 4, 4);
    assertEquals(0, out[0]);
    assertEquals(2.5, out[1]);
    assertEquals(7.5, out[2]);
    assertEquals(10, out[3]);
    assertEquals(30, out[15]);
    assertEquals(5 + 2.5, out[4 + 1], 1e-12, "(row 1, col 1): 0.25 of the way in both directions");
  }
}
