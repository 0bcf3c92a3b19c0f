package io.treeprop.spark.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The barrier exchange's door on real loopback sockets. */
class TcpDoorTest {
  private static final long TOKEN = 0x1234_5678_9abcL;

  private static Socket hello(int port, long token, int attempt, int partition) throws Exception {
    Socket s = new Socket("127.0.0.1", port);
    // one write, as a task sends it (buffered): the door may close a stranger after its first fields, and a
    // write after that would fail with a broken pipe
    Wire.writeHello(new DataOutputStream(new BufferedOutputStream(s.getOutputStream())), token, attempt, partition);
    return s;
  }

  @Test
  void silentConnectionsDoNotHoldUpTheTasksBehindThem() throws Exception {
    try (TcpDoor door = new TcpDoor("127.0.0.1", 2, TOKEN, 1 << 16)) {
      List<Socket> open = new ArrayList<>();
      // three connections that never say anything, made first (the old door read hellos one at a time, 60 s each)
      for (int i = 0; i < 3; i++) {
        open.add(new Socket("127.0.0.1", door.port()));
      }
      open.add(hello(door.port(), TOKEN, 1, 0));
      open.add(hello(door.port(), TOKEN, 1, 1));
      Set<Integer> partitions = assertTimeoutPreemptively(Duration.ofSeconds(TcpDoor.HELLO_TIMEOUT_MS / 1000 - 1),
          () -> {
            Set<Integer> got = new HashSet<>();
            while (got.size() < 2) {
              TcpDoor.Arrival a = door.next(1, 200);
              if (a != null) {
                got.add(a.partition());
              }
            }
            return got;
          });
      assertEquals(Set.of(0, 1), partitions);
      for (Socket s : open) {
        s.close();
      }
    }
  }

  @Test
  void strangersAndOtherAttemptsAreTurnedAway() throws Exception {
    try (TcpDoor door = new TcpDoor("127.0.0.1", 2, TOKEN, 1 << 16)) {
      try (Socket wrongToken = hello(door.port(), TOKEN + 1, 2, 0);
          Socket badPartition = hello(door.port(), TOKEN, 2, 5);
          Socket oldAttempt = hello(door.port(), TOKEN, 1, 0);
          Socket garbage = new Socket("127.0.0.1", door.port())) {
        garbage.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertNull(door.next(2, 1500), "none of them is a task of attempt 2");
        try (Socket task = hello(door.port(), TOKEN, 2, 1)) {
          TcpDoor.Arrival a = door.next(2, 5000);
          assertEquals(1, a.partition());
          assertEquals(2, a.attempt());
        }
      }
    }
  }
}
