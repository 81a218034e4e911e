package io.listenq.collectors.procfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class CounterSelectionTest {

    @Test
    void selectionAgreesWithTheGeneralParseOnRealFiles() throws Exception {
        String netstat = Fixtures.load("netstat");
        String snmp = Fixtures.load("snmp");
        CounterSelection sel = Fixtures.LISTEN_QUEUE;

        SelectedCounters picked = sel.parse("netstat", netstat).merge(sel.parse("snmp", snmp));
        NetCounters all = NetCounters.parse("netstat", netstat).merge(NetCounters.parse("snmp", snmp));

        assertThat(picked.complete()).isTrue();
        for (CounterKey key : sel.keys()) {
            assertThat(picked.get(key)).as(key.toString()).isEqualTo(all.get(key));
        }
    }

    @Test
    void eachFileAloneHasOnlyItsOwnKeys() throws Exception {
        SelectedCounters fromSnmp = Fixtures.LISTEN_QUEUE.parse("snmp", Fixtures.load("snmp"));
        assertThat(fromSnmp.has(CounterKey.PASSIVE_OPENS)).isTrue();
        assertThat(fromSnmp.has(CounterKey.LISTEN_OVERFLOWS)).isFalse();
        assertThat(fromSnmp.get(CounterKey.LISTEN_OVERFLOWS)).isEmpty();
        assertThat(fromSnmp.complete()).isFalse();
        assertThat(fromSnmp.get(new CounterKey("Tcp", "NotSelected"))).isEmpty();
    }

    @Test
    void missingColumnsAreAbsentNotZero() throws Exception {
        SelectedCounters s = Fixtures.LISTEN_QUEUE.parse("t", "TcpExt: ListenDrops\nTcpExt: 5\n");
        assertThat(s.get(CounterKey.LISTEN_DROPS)).hasValue(5);
        assertThat(s.has(CounterKey.SYNCOOKIES_SENT)).isFalse();
        assertThat(s.toString()).contains("TcpExt:ListenDrops=5").doesNotContain("Syncookies");
    }

    @Test
    void mergeRejectsOverlapAndForeignSelections() throws Exception {
        CounterSelection sel = Fixtures.LISTEN_QUEUE;
        SelectedCounters a = sel.parse("a", "Tcp: PassiveOpens\nTcp: 1\n");
        assertThatThrownBy(() -> a.merge(a)).isInstanceOf(IllegalArgumentException.class);
        CounterSelection other = new CounterSelection(List.of(CounterKey.PASSIVE_OPENS));
        assertThatThrownBy(() -> a.merge(SelectedCounters.none(other))).isInstanceOf(IllegalArgumentException.class);
        assertThat(a.merge(SelectedCounters.none(sel))).isEqualTo(a);
    }

    @Test
    void selectionsAreValidated() {
        assertThatThrownBy(() -> new CounterSelection(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CounterSelection(List.of(CounterKey.LISTEN_DROPS, CounterKey.LISTEN_DROPS)))
                .isInstanceOf(IllegalArgumentException.class);
        List<CounterKey> tooMany = Collections.nCopies(65, CounterKey.LISTEN_DROPS);
        assertThatThrownBy(() -> new CounterSelection(tooMany)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CounterKey("Tcp:", "A")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new CounterKey("Tcp", "")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void valuesAreDefensivelyCopied() throws Exception {
        SelectedCounters s = Fixtures.LISTEN_QUEUE.parse("t", "Tcp: PassiveOpens\nTcp: 9\n");
        s.values()[Fixtures.LISTEN_QUEUE.indexOf(CounterKey.PASSIVE_OPENS)] = 0;
        assertThat(s.get(CounterKey.PASSIVE_OPENS)).hasValue(9);
    }
}
