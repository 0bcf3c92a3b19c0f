package io.treeprop.jobs;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The one line a failed command prints: our own messages (an {@link IllegalArgumentException} or
 * {@link IllegalStateException} anywhere in the cause chain, e.g. under a Spark task failure) as they are; I/O
 * errors with what was being read or written; anything else as its innermost cause's type and first line, which
 * is what names the user's input. Never a stack trace ({@code --verbose} adds it).
 */
final class Failures {
  private static final int MAX_LENGTH = 2000;

  private Failures() {}

  static String message(Throwable e) {
    Throwable ours = null;
    Throwable io = null;
    Throwable root = e;
    Map<Throwable, Boolean> seen = new IdentityHashMap<>();
    for (Throwable t = e; t != null && seen.put(t, true) == null; t = t.getCause()) {
      if (ours == null && (t instanceof IllegalArgumentException || t instanceof IllegalStateException)
          && t.getMessage() != null) {
        ours = t;
      }
      if (io == null && (t instanceof IOException || t instanceof UncheckedIOException)) {
        io = t;
      }
      root = t;
    }
    String text;
    if (ours != null) {
      text = ours.getMessage();
    } else if (io != null) {
      text = io instanceof FileNotFoundException ? "cannot read or write " + io.getMessage()
          : io.getMessage() + (root != io && root.getMessage() != null ? " (" + root.getMessage() + ")" : "");
    } else {
      text = root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
    text = oneLine(text);
    return text.length() > MAX_LENGTH ? text.substring(0, MAX_LENGTH) + " ..." : text;
  }

  /** The first line of a message (Spark's carry whole stack traces after it). */
  private static String oneLine(String text) {
    if (text == null) {
      return "failed";
    }
    int nl = text.indexOf('\n');
    return (nl < 0 ? text : text.substring(0, nl)).strip();
  }
}
