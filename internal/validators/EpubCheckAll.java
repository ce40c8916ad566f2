import com.adobe.epubcheck.api.EPUBLocation;
import com.adobe.epubcheck.api.EpubCheck;
import com.adobe.epubcheck.api.MasterReport;
import com.adobe.epubcheck.messages.Message;
import com.adobe.epubcheck.messages.MessageId;
import com.adobe.epubcheck.util.FeatureEnum;
import com.adobe.epubcheck.util.ReportingLevel;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Validates with EPUBCheck's library every EPUB named on standard input,
 * one path a line, in one Java VM: starting the VM and loading EPUBCheck's
 * schemas costs ten times more than checking a book. Files are checked as
 * they arrive, by as many threads as the first argument says.
 *
 * <p>For each file it prints "FILE path", one line per message at any
 * severity down to USAGE, formatted as the command line tool does
 * ("SEVERITY(ID): location: text"), and "END path". Run it with the Java
 * launcher's source mode: java -cp epubcheck.jar EpubCheckAll.java 2
 */
public class EpubCheckAll {
  /** Collects one book's messages. */
  static final class Collect extends MasterReport {
    final StringBuilder out = new StringBuilder();

    @Override
    public void message(Message m, EPUBLocation loc, Object... args) {
      out.append(m.getSeverity()).append('(').append(m.getID()).append("): ")
          .append(loc).append(": ").append(m.getMessage(args)).append('\n');
    }

    @Override
    public void info(String resource, FeatureEnum feature, String value) {}

    @Override
    public int generate() {
      return 0;
    }

    @Override
    public void initialize() {}
  }

  public static void main(String[] args) throws Exception {
    // EPUBCheck counts every message id in this static set; a plain
    // HashSet would be written by several threads at once.
    MasterReport.allReportedMessageIds = Collections.synchronizedSet(new HashSet<MessageId>());
    int threads = args.length > 0 ? Integer.parseInt(args[0]) : 1;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null; ) {
      final String path = line;
      pool.submit(() -> check(path));
    }
    pool.shutdown();
    pool.awaitTermination(1, TimeUnit.DAYS);
  }

  static void check(String path) {
    Collect r = new Collect();
    r.setReportingLevel(ReportingLevel.Usage);
    String result;
    try {
      new EpubCheck(new File(path), r).doValidate();
      result = r.out.toString();
    } catch (Throwable e) {
      result = r.out.toString() + "FATAL(crash): " + e + "\n";
    }
    synchronized (System.out) {
      System.out.print("FILE " + path + "\n" + result + "END " + path + "\n");
      System.out.flush();
    }
  }
}
