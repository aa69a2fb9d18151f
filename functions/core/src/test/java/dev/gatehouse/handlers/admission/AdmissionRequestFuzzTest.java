package dev.gatehouse.handlers.admission;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.gatehouse.io.MalformedInputException;
import dev.gatehouse.io.testing.Fuzzing;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** AdmissionReview bodies as the API server POSTs them parse or are refused with a MalformedInputException. */
class AdmissionRequestFuzzTest {

    static Stream<Arguments> reviews() {
        String pod = """
                {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"705ab4f5-6393-11e8-b7cc-42010a800002",
                 "kind":{"group":"","version":"v1","kind":"Pod"},"resource":{"group":"","version":"v1","resource":"pods"},
                 "operation":"CREATE","namespace":"prod","userInfo":{"username":"admin","groups":["system:masters"]},
                 "object":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","labels":{"app":"a"},"annotations":{"x":"y"}},"spec":{
                   "initContainers":[{"name":"init","image":"busybox:1"}],
                   "containers":[{"name":"a","image":"ghcr.io/acme/app@sha256:%s"},{"name":"b","image":"nginx:1.27"}],
                   "ephemeralContainers":[{"name":"dbg","image":"debug:1"}]}},
                 "oldObject":null,"dryRun":false,"options":{"apiVersion":"meta.k8s.io/v1","kind":"CreateOptions"}}}
                """.formatted("a".repeat(64));
        String cronJob = """
                {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u2",
                 "kind":{"group":"batch","version":"v1","kind":"CronJob"},"operation":"UPDATE","namespace":"jobs",
                 "object":{"spec":{"schedule":"* * * * *","jobTemplate":{"spec":{"template":{"spec":{"containers":[{"name":"c","image":"job:2"}]}}}}}}}}
                """;
        String deployment = """
                {"apiVersion":"admission.k8s.io/v1beta1","kind":"AdmissionReview","request":{"uid":"u3",
                 "kind":{"group":"apps","version":"v1","kind":"Deployment"},"operation":"CREATE","namespace":"web",
                 "object":{"spec":{"replicas":2,"template":{"metadata":{},"spec":{"containers":[{"name":"web","image":"registry.local:5000/web:1"}]}}}}}}
                """;
        return Fuzzing.seeds(List.of(Fuzzing.utf8(pod), Fuzzing.utf8(cronJob), Fuzzing.utf8(deployment)));
    }

    @MethodSource("reviews")
    @FuzzTest
    void admissionReviewsParseOrAreRejected(byte[] input) throws Exception {
        Fuzzing.acceptOrReject(input, AdmissionRequest::parse, MalformedInputException.class);
    }
}
