package io.listenq.collectors.procfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class NetCountersTest {

    private static final List<CounterKey> WANTED = Fixtures.LISTEN_QUEUE.keys();

    @ParameterizedTest
    @ValueSource(strings = {"netstat", "snmp", "netstat-fresh-netns", "snmp-fresh-netns"})
    void everyColumnOfARealFileMatchesTheOracle(String fixture) throws Exception {
        String text = Fixtures.load(fixture);
        NetCounters counters = NetCounters.parse(fixture, text);

        assertThat(counters.sections()).isNotEmpty();
        for (String line : text.split("\n")) {
            String prefix = line.substring(0, line.indexOf(':'));
            assertThat(counters.sections().get(prefix)).hasSize(Fixtures.columns(text, prefix));
            counters.sections()
                    .get(prefix)
                    .forEach((name, value) -> assertThat(value)
                            .isEqualTo(Long.parseLong(
                                    Fixtures.grep(text, prefix, name).orElseThrow())));
        }
    }

    @Test
    void wantedCountersAreFoundInTheMergedRealFiles() throws Exception {
        String netstat = Fixtures.load("netstat");
        String snmp = Fixtures.load("snmp");
        NetCounters all = NetCounters.parse("netstat", netstat).merge(NetCounters.parse("snmp", snmp));

        for (CounterKey key : WANTED) {
            String raw = Fixtures.grep(netstat, key.prefix(), key.name())
                    .or(() -> Fixtures.grep(snmp, key.prefix(), key.name()))
                    .orElseThrow();
            assertThat(all.get(key)).as(key.toString()).hasValue(Long.parseUnsignedLong(raw));
            assertThat(all.has(key)).isTrue();
        }
        assertThat(all.get("Tcp", "PassiveOpens").getAsLong()).isPositive();
    }

    @Test
    void tcpMaxConnMinusOneIsStoredAsAllOnes() throws Exception {
        String snmp = Fixtures.load("snmp");
        assertThat(Fixtures.grep(snmp, "Tcp", "MaxConn")).hasValue("-1");

        OptionalLong maxConn = NetCounters.parse("snmp", snmp).get("Tcp", "MaxConn");

        assertThat(maxConn).hasValue(-1L);
        assertThat(Long.toUnsignedString(maxConn.getAsLong())).isEqualTo("18446744073709551615");
    }

    @Test
    void unsignedValuesAboveLongMaxAreKept() throws Exception {
        NetCounters c = NetCounters.parse("t", "TcpExt: A B\nTcpExt: 18446744073709551615 9223372036854775808\n");
        assertThat(c.get("TcpExt", "A")).hasValue(-1L);
        assertThat(c.get("TcpExt", "B")).hasValue(Long.MIN_VALUE);
    }

    @Test
    void icmpMsgIsAbsentInAFreshNamespaceAndLookupsSaySo() throws Exception {
        String fresh = Fixtures.load("snmp-fresh-netns");
        assertThat(fresh).doesNotContain("IcmpMsg");

        NetCounters c = NetCounters.parse("snmp-fresh-netns", fresh);

        assertThat(c.has("IcmpMsg", "InType3")).isFalse();
        assertThat(c.get("IcmpMsg", "InType3")).isEmpty();
        assertThat(c.get("Tcp", "NoSuchColumn")).isEmpty();
        assertThat(c.get(CounterKey.PASSIVE_OPENS))
                .hasValue(Long.parseLong(
                        Fixtures.grep(fresh, "Tcp", "PassiveOpens").orElseThrow()));
    }

    @Test
    void columnsAreFoundByNameNotPosition() throws Exception {
        NetCounters c = NetCounters.parse("t", "TcpExt: NewerColumn ListenDrops ListenOverflows\nTcpExt: 1 2 3\n");
        assertThat(c.get(CounterKey.LISTEN_DROPS)).hasValue(2);
        assertThat(c.get(CounterKey.LISTEN_OVERFLOWS)).hasValue(3);
    }

    @Test
    void emptyTextAndMissingTrailingNewlineAreFine() throws Exception {
        assertThat(NetCounters.parse("t", "").sections()).isEmpty();
        assertThat(NetCounters.parse("t", "Tcp: A\nTcp: 7").get("Tcp", "A")).hasValue(7);
    }

    @Test
    void mergeRejectsTheSameColumnTwice() throws Exception {
        NetCounters a = NetCounters.parse("a", "Tcp: A\nTcp: 1\n");
        NetCounters b = NetCounters.parse("b", "Tcp: A B\nTcp: 2 3\n");
        assertThatThrownBy(() -> a.merge(b))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Tcp:A");
        assertThat(a.merge(NetCounters.parse("c", "Tcp: B\nTcp: 3\n")).get("Tcp", "B"))
                .hasValue(3);
    }

    static List<Arguments> malformed() {
        return List.of(
                Arguments.of("header without values", "TcpExt: A B\n", 1, "without its value line"),
                Arguments.of("header then blank line", "Tcp: A\nTcp: 1\nUdp: A\n\n", 3, "without its value line"),
                Arguments.of("prefix mismatch", "TcpExt: A B\nIpExt: 1 2\n", 2, "does not start with 'TcpExt:'"),
                Arguments.of("prefix is a prefix", "Ip: A\nIpExt: 1\n", 2, "does not start with 'Ip:'"),
                Arguments.of("fewer values", "Tcp: A B C\nTcp: 1 2\n", 2, "3 names but 2 values"),
                Arguments.of("more values", "Tcp: A\nTcp: 1 2\n", 2, "1 names but 2 values"),
                Arguments.of("non-numeric", "Tcp: A B\nTcp: 1 x2\n", 2, "'x2' of column B"),
                Arguments.of("plus sign", "Tcp: A\nTcp: +1\n", 2, "sign"),
                Arguments.of("too large", "Tcp: A\nTcp: 18446744073709551616\n", 2, "not a 64-bit"),
                Arguments.of("too negative", "Tcp: A\nTcp: -9223372036854775809\n", 2, "not a 64-bit"),
                Arguments.of("no colon", "Tcp A B\nTcp 1 2\n", 1, "expected 'Prefix: names...'"),
                Arguments.of("no names", "Tcp:\nTcp:\n", 1, "no column names"),
                Arguments.of("prefix twice", "Tcp: A\nTcp: 1\nTcp: B\nTcp: 2\n", 3, "appears twice"),
                Arguments.of("column twice", "Tcp: A A\nTcp: 1 2\n", 1, "A appears twice"),
                Arguments.of("second pair broken", "Tcp: A\nTcp: 1\nUdp: A B\nUdp: 1\n", 4, "2 names but 1 values"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void malformedTextIsRejectedWithSourceAndLine(String what, String text, int line, String problem) {
        assertThatThrownBy(() -> NetCounters.parse("fx/" + what, text))
                .isInstanceOfSatisfying(ProcfsFormatException.class, e -> {
                    assertThat(e.source()).isEqualTo("fx/" + what);
                    assertThat(e.line()).isEqualTo(line);
                    assertThat(e.problem()).contains(problem);
                    assertThat(e.getMessage()).startsWith("fx/" + what + ":" + line + ": ");
                });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void theSelectionRejectsTheSameTextAtTheSameLine(String what, String text, int line, String problem) {
        // "column twice" on a column nobody selected is only caught by the general parse; select A.
        CounterSelection selectA = new CounterSelection(List.of(new CounterKey("Tcp", "A")));
        assertThatThrownBy(() -> selectA.parse("fx", text))
                .isInstanceOfSatisfying(
                        ProcfsFormatException.class, e -> assertThat(e.line()).isEqualTo(line));
    }

    @Test
    void truncatedRealFileIsRejected() {
        String netstat = Fixtures.load("netstat");
        String truncated = netstat.substring(0, netstat.indexOf('\n', netstat.indexOf("IpExt:")) + 1);
        assertThatThrownBy(() -> NetCounters.parse("netstat", truncated))
                .isInstanceOfSatisfying(
                        ProcfsFormatException.class, e -> assertThat(e.line()).isEqualTo(3));
    }
}
