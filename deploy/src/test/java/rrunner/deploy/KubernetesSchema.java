package rrunner.deploy;

import java.util.Map;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;

/**
 * The Kubernetes API's schema, as fabric8's model of it: a manifest is read into the API type of its
 * {@code apiVersion} and {@code kind}, and any field that type lacks, or a value of the wrong type, is an error.
 */
final class KubernetesSchema {

    /** The API types the chart renders, by "apiVersion kind". */
    private static final Map<String, Class<? extends HasMetadata>> TYPES = Map.ofEntries(
            Map.entry("v1 ConfigMap", ConfigMap.class),
            Map.entry("v1 Secret", Secret.class),
            Map.entry("v1 Service", Service.class),
            Map.entry("v1 ServiceAccount", ServiceAccount.class),
            Map.entry("apps/v1 Deployment", Deployment.class),
            Map.entry("apps/v1 StatefulSet", StatefulSet.class),
            Map.entry("autoscaling/v2 HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
            Map.entry("networking.k8s.io/v1 Ingress", Ingress.class),
            Map.entry("networking.k8s.io/v1 NetworkPolicy", NetworkPolicy.class),
            Map.entry("policy/v1 PodDisruptionBudget", PodDisruptionBudget.class));
    /**
     * Custom resources, whose schema comes with their operator, not with Kubernetes: KEDA's ScaledObject. The chart's
     * tests check its fields one by one (HelmChartTest.WorkerAutoscaling).
     */
    static final String KEDA_SCALED_OBJECT = "keda.sh/v1alpha1 ScaledObject";

    /**
     * fabric8's types keep unknown fields in an "additional properties" map (so a client survives a newer server);
     * with that turned off, Jackson refuses them, as the API server's strict field validation does.
     */
    private static final ObjectMapper STRICT = JsonMapper.builder()
            .annotationIntrospector(new JacksonAnnotationIntrospector() {
                @Override
                public Boolean hasAnySetter(Annotated member) {
                    return Boolean.FALSE;
                }
            })
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private KubernetesSchema() {
    }

    static String typeOf(Map<String, Object> manifest) {
        return manifest.get("apiVersion") + " " + manifest.get("kind");
    }

    /**
     * Reads the manifest as its API type.
     *
     * @throws IllegalArgumentException the API has no such type, or the manifest does not fit it (the message names
     *                                  the field)
     */
    static HasMetadata parse(Map<String, Object> manifest) {
        Class<? extends HasMetadata> type = TYPES.get(typeOf(manifest));
        if (type == null) {
            throw new IllegalArgumentException("no Kubernetes API type " + typeOf(manifest) + " known here");
        }
        return STRICT.convertValue(manifest, type);
    }
}
