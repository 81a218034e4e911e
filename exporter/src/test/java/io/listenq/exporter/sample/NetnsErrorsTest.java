package io.listenq.exporter.sample;

import static org.assertj.core.api.Assertions.assertThat;

import io.listenq.collectors.netns.ScanError;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One reason per errno wherever it happens, each logged once with what to do about it. */
class NetnsErrorsTest {
    private final List<String> warnings = new ArrayList<>();
    private final List<String> debug = new ArrayList<>();
    private final NetnsErrors errors = new NetnsErrors(warnings::add, debug::add);

    @Test
    void theSameErrnoIsTheSameReasonInTheScanTheOpenAndSetns() {
        assertThat(NetnsError.ofErrno(13)).isEqualTo(NetnsError.PERMISSION); // EACCES opening /proc/PID/ns/net
        assertThat(NetnsError.ofErrno(1)).isEqualTo(NetnsError.PERMISSION); // EPERM from setns
        assertThat(NetnsError.of(ScanError.ACCESS_DENIED)).isEqualTo(NetnsError.PERMISSION);
        assertThat(NetnsError.of(ScanError.NOT_PERMITTED)).isEqualTo(NetnsError.PERMISSION);
        assertThat(NetnsError.ofErrno(2)).isEqualTo(NetnsError.VANISHED);
        assertThat(NetnsError.ofErrno(3)).isEqualTo(NetnsError.VANISHED);
        assertThat(NetnsError.of(ScanError.VANISHED)).isEqualTo(NetnsError.VANISHED);
        assertThat(NetnsError.ofErrno(22)).isEqualTo(NetnsError.NOT_A_NAMESPACE);
        assertThat(NetnsError.of(ScanError.NOT_A_NAMESPACE)).isEqualTo(NetnsError.NOT_A_NAMESPACE);
        assertThat(NetnsError.ofErrno(5)).isEqualTo(NetnsError.OTHER);
    }

    @Test
    void eachReasonIsLoggedOnceWithWhatToDoAndCountedEveryTime() {
        for (int i = 0; i < 3; i++) {
            errors.count(NetnsError.PERMISSION, "setns into netns 1: EPERM");
            errors.count(NetnsError.PID_REUSED, "/proc/42/ns/net is now another namespace");
        }
        assertThat(errors.counts()).containsEntry("permission", 3L).containsEntry("pid_reused", 3L);
        assertThat(warnings).hasSize(2);
        assertThat(warnings)
                .anySatisfy(w -> assertThat(w)
                        .contains("permission")
                        .contains("what to do")
                        .contains("CAP_SYS_ADMIN"));
    }

    @Test
    void whatEveryScanMeetsIsExplainedAtDebugOnceAndStillCounted() {
        errors.count(NetnsError.PERMISSION, 2, "2 entries skipped by the scan (eacces), e.g. /proc/1/ns/net", true);
        errors.count(NetnsError.PERMISSION, 2, "2 entries skipped by the scan (eacces), e.g. /proc/1/ns/net", true);
        assertThat(errors.counts()).containsEntry("permission", 4L);
        assertThat(warnings).isEmpty();
        assertThat(debug).singleElement().satisfies(d -> assertThat(d).contains("/proc/1/ns/net"));
        errors.count(NetnsError.PERMISSION, "setns into netns 1: EPERM"); // a real refusal still warns, once
        assertThat(warnings).hasSize(1);
    }

    @Test
    void everyReasonHasADistinctLabelAndARemedy() {
        assertThat(List.of(NetnsError.values()))
                .extracting(NetnsError::label)
                .doesNotHaveDuplicates()
                .containsExactly("permission", "vanished", "pid_reused", "not_a_namespace", "other");
        assertThat(List.of(NetnsError.values()))
                .allSatisfy(r -> assertThat(r.remedy()).isNotBlank());
    }
}
