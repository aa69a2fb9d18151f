package dev.gatehouse.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** Runs the CLI in-process and captures what a user would see. */
public record CliRun(int exitCode, String out, String err) {

    public static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Gatehouse.newCommandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }

    /** The first line of stderr, where every failure is explained. */
    public String firstErrorLine() {
        String e = err.strip();
        int nl = e.indexOf('\n');
        return nl < 0 ? e : e.substring(0, nl);
    }
}
