package io.treeprop.jobs;

import java.util.ArrayList;
import java.util.List;

/** RFC 4180 cells for the tune's results table: quoted when they hold a comma, a quote or a line break. */
final class Csv {
  private Csv() {}

  /** The cell as written: as it is, or in double quotes with inner quotes doubled. */
  static String quote(String cell) {
    if (cell.indexOf(',') < 0 && cell.indexOf('"') < 0 && cell.indexOf('\n') < 0 && cell.indexOf('\r') < 0) {
      return cell;
    }
    return "\"" + cell.replace("\"", "\"\"") + "\"";
  }

  /** The non-empty lines of a table whose cells hold no line breaks. */
  static List<String> lines(String text) {
    return text.lines().filter(l -> !l.isEmpty()).toList();
  }

  /** One line's cells, unquoted. */
  static List<String> split(String line) {
    List<String> cells = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          cell.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          cell.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        cells.add(cell.toString());
        cell.setLength(0);
      } else {
        cell.append(c);
      }
    }
    cells.add(cell.toString());
    return cells;
  }
}
