// Package validate checks the Kubernetes manifests of deploy/kubernetes/ by decoding them
// strictly into the Kubernetes API types (k8s.io/api), so that a misspelt or misplaced
// field fails the test suite instead of being silently dropped by a cluster's client, and
// checks that the shards Job, the merge Job and the volume agree with each other.
package validate

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	batchv1 "k8s.io/api/batch/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	kjson "sigs.k8s.io/json"
	"sigs.k8s.io/yaml"
)

// manifestDir holds the manifests, one level up from this module.
const manifestDir = ".."

// types maps apiVersion/kind to a fresh value of its API type.
var types = map[string]func() any{
	"batch/v1/Job":             func() any { return &batchv1.Job{} },
	"v1/PersistentVolumeClaim": func() any { return &corev1.PersistentVolumeClaim{} },
	"v1/Pod":                   func() any { return &corev1.Pod{} },
}

var documentSeparator = regexp.MustCompile(`(?m)^---\s*$`)

// decodeStrict decodes one YAML document into its API type as the API server does: field
// names match case-sensitively, and unknown or duplicate fields are errors. (encoding/json,
// and so sigs.k8s.io/yaml's UnmarshalStrict, would accept "completionmode" for
// "completionMode"; sigs.k8s.io/json, the API machinery's decoder, does not.)
func decodeStrict(document []byte) (any, error) {
	var meta metav1.TypeMeta
	if err := yaml.Unmarshal(document, &meta); err != nil {
		return nil, err
	}
	newValue, ok := types[meta.APIVersion+"/"+meta.Kind]
	if !ok {
		return nil, fmt.Errorf("apiVersion %q kind %q: not a type this test knows", meta.APIVersion, meta.Kind)
	}
	asJSON, err := yaml.YAMLToJSONStrict(document)
	if err != nil {
		return nil, err
	}
	value := newValue()
	strictErrors, err := kjson.UnmarshalStrict(asJSON, value)
	if err != nil {
		return nil, err
	}
	if len(strictErrors) > 0 {
		return nil, errors.Join(strictErrors...)
	}
	return value, nil
}

// decodeFile decodes every document of one manifest file.
func decodeFile(path string) ([]any, error) {
	content, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var values []any
	for _, document := range documentSeparator.Split(string(content), -1) {
		if len(bytes.TrimSpace([]byte(document))) == 0 {
			continue
		}
		value, err := decodeStrict([]byte(document))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		values = append(values, value)
	}
	return values, nil
}

func manifestFiles(t *testing.T) []string {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(manifestDir, "*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) == 0 {
		t.Fatalf("no manifests in %s", manifestDir)
	}
	return paths
}

func TestEveryManifestDecodesStrictly(t *testing.T) {
	for _, path := range manifestFiles(t) {
		t.Run(filepath.Base(path), func(t *testing.T) {
			values, err := decodeFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if len(values) == 0 {
				t.Fatal("no document")
			}
		})
	}
}

func TestAMisspeltOrMisplacedFieldFails(t *testing.T) {
	shards, err := os.ReadFile(filepath.Join(manifestDir, "shards-job.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, from, to string
	}{
		{"misspelt spec field", "parallelism:", "paralelism:"},
		{"wrong case", "completionMode:", "completionmode:"},
		{"misspelt container field", "volumeMounts:", "volumeMount:"},
		{"misspelt volume source", "claimName:", "claimname:"},
		{"field at the wrong level", "  backoffLimit: 0", "  backoffLimit: 0\n  restartPolicy: Never"},
		{"duplicate field", "  backoffLimit: 0", "  backoffLimit: 0\n  backoffLimit: 1"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if !bytes.Contains(shards, []byte(c.from)) {
				t.Fatalf("shards-job.yaml no longer contains %q: update this case", c.from)
			}
			broken := bytes.Replace(shards, []byte(c.from), []byte(c.to), 1)
			if _, err := decodeStrict(broken); err == nil {
				t.Fatalf("%q -> %q decoded without an error", c.from, c.to)
			}
		})
	}
}

// load decodes one manifest file that holds a single object of type T.
func load[T any](t *testing.T, name string) *T {
	t.Helper()
	values, err := decodeFile(filepath.Join(manifestDir, name))
	if err != nil {
		t.Fatal(err)
	}
	if len(values) != 1 {
		t.Fatalf("%s: %d documents, expected 1", name, len(values))
	}
	value, ok := values[0].(*T)
	if !ok {
		t.Fatalf("%s: a %T, expected a %T", name, values[0], new(T))
	}
	return value
}

func envValue(container corev1.Container, name string) (corev1.EnvVar, bool) {
	for _, env := range container.Env {
		if env.Name == name {
			return env, true
		}
	}
	return corev1.EnvVar{}, false
}

func argAfter(args []string, flag string) (string, bool) {
	i := slices.Index(args, flag)
	if i < 0 || i+1 >= len(args) {
		return "", false
	}
	return args[i+1], true
}

func TestShardsJobRunsEveryShardOfOnePlan(t *testing.T) {
	job := load[batchv1.Job](t, "shards-job.yaml")
	spec := job.Spec
	if spec.CompletionMode == nil || *spec.CompletionMode != batchv1.IndexedCompletion {
		t.Fatalf("completionMode %v, expected Indexed", spec.CompletionMode)
	}
	if spec.Completions == nil || spec.Parallelism == nil || *spec.Completions != *spec.Parallelism {
		t.Fatalf("parallelism %v and completions %v must be equal (all shards at once)", spec.Parallelism, spec.Completions)
	}
	if spec.BackoffLimit == nil || *spec.BackoffLimit != 0 {
		t.Fatal("backoffLimit must be 0: a retried shard would start after the shared start time")
	}
	containers := spec.Template.Spec.Containers
	if len(containers) != 1 {
		t.Fatalf("%d containers, expected 1", len(containers))
	}
	container := containers[0]
	args := container.Args
	shard, _ := argAfter(args, "--shard")
	if want := fmt.Sprintf("auto/%d", *spec.Completions); shard != want {
		t.Errorf("--shard %q, expected %q (N = completions)", shard, want)
	}
	if !slices.Contains(args, "--allow-remote") {
		t.Error("a cluster target is not loopback: --allow-remote is needed")
	}
	for _, flag := range []string{"--target", "--rate", "--connections", "--start-at", "--out"} {
		value, ok := argAfter(args, flag)
		if !ok {
			t.Errorf("%s is missing", flag)
			continue
		}
		// Every $(VAR) used must be declared, or Kubernetes passes it on literally.
		for _, match := range regexp.MustCompile(`\$\((\w+)\)`).FindAllStringSubmatch(value, -1) {
			if _, declared := envValue(container, match[1]); !declared {
				t.Errorf("%s %s uses $(%s), which the container does not declare", flag, value, match[1])
			}
		}
	}
	index, ok := envValue(container, "JOB_COMPLETION_INDEX")
	if !ok || index.ValueFrom == nil || index.ValueFrom.FieldRef == nil ||
		index.ValueFrom.FieldRef.FieldPath != "metadata.annotations['batch.kubernetes.io/job-completion-index']" {
		t.Error("JOB_COMPLETION_INDEX must come from the job-completion-index annotation")
	}
	out, _ := argAfter(args, "--out")
	if !strings.HasPrefix(out, "/results/run-$(START_AT)/shard-") {
		t.Errorf("--out %q is not where the merge Job looks", out)
	}
}

func TestMergeJobAndVolumeMatchTheShards(t *testing.T) {
	shards := load[batchv1.Job](t, "shards-job.yaml")
	merge := load[batchv1.Job](t, "merge-job.yaml")
	reader := load[corev1.Pod](t, "results-reader.yaml")
	claim := load[corev1.PersistentVolumeClaim](t, "results-pvc.yaml")
	podSpecs := map[string]corev1.PodSpec{
		"shards-job.yaml":     shards.Spec.Template.Spec,
		"merge-job.yaml":      merge.Spec.Template.Spec,
		"results-reader.yaml": reader.Spec,
	}
	image := shards.Spec.Template.Spec.Containers[0].Image
	for name, spec := range podSpecs {
		if len(spec.Volumes) != 1 || spec.Volumes[0].PersistentVolumeClaim == nil ||
			spec.Volumes[0].PersistentVolumeClaim.ClaimName != claim.Name {
			t.Errorf("%s: must mount the claim %q", name, claim.Name)
		}
		for _, container := range spec.Containers {
			if container.Image != image {
				t.Errorf("%s: image %q, the shards run %q", name, container.Image, image)
			}
			if len(container.VolumeMounts) != 1 || container.VolumeMounts[0].MountPath != "/results" {
				t.Errorf("%s: the volume must be mounted at /results", name)
			}
		}
	}
	script := strings.Join(merge.Spec.Template.Spec.Containers[0].Args, " ")
	for _, want := range []string{"loadgen merge /results/run-$(START_AT)/shard-*", "--out /results/run-$(START_AT)/merged", "loadgen report"} {
		if !strings.Contains(script, want) {
			t.Errorf("the merge step %q does not contain %q", script, want)
		}
	}
	shardStart, _ := envValue(shards.Spec.Template.Spec.Containers[0], "START_AT")
	mergeStart, _ := envValue(merge.Spec.Template.Spec.Containers[0], "START_AT")
	if shardStart.Value != mergeStart.Value {
		t.Errorf("START_AT differs: shards %q, merge %q (the README replaces both)", shardStart.Value, mergeStart.Value)
	}
	if !slices.Contains(claim.Spec.AccessModes, corev1.ReadWriteMany) {
		t.Error("the results claim must be ReadWriteMany: shards on several nodes write to it")
	}
}

// The README's "Running on Kubernetes" commands fill in the start time and the image with
// sed; a manifest that no longer holds the text they replace would be applied unchanged.
func TestReadmeCommandsReplaceWhatTheManifestsHold(t *testing.T) {
	readme, err := os.ReadFile(filepath.Join(manifestDir, "..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	const startPlaceholder, image = "START_AT_UNIX_SECONDS", "loadgen:0.1"
	for _, want := range []string{"s/" + startPlaceholder + "/", "s#image: " + image + "#", "deploy/kubernetes/$job-job.yaml"} {
		if !bytes.Contains(readme, []byte(want)) {
			t.Errorf("README.md no longer contains %q", want)
		}
	}
	shards := load[batchv1.Job](t, "shards-job.yaml")
	merge := load[batchv1.Job](t, "merge-job.yaml")
	for name, job := range map[string]*batchv1.Job{"shards-job.yaml": shards, "merge-job.yaml": merge} {
		container := job.Spec.Template.Spec.Containers[0]
		if start, _ := envValue(container, "START_AT"); start.Value != startPlaceholder {
			t.Errorf("%s: START_AT is %q, the README replaces %q", name, start.Value, startPlaceholder)
		}
		if container.Image != image {
			t.Errorf("%s: image %q, the README replaces %q", name, container.Image, image)
		}
	}
}
