namespace MiniKube.Api.Printing;

/// <summary>The column definitions, as printers.go declares them.</summary>
public sealed partial class TablePrinter
{
    private const string NameDoc =
        "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names";

    private const string CreationTimestampDoc =
        "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";

    private static readonly TableColumn NameColumn = new("Name", "string", "name", NameDoc);
    private static readonly TableColumn AgeColumn = new("Age", "string", "", CreationTimestampDoc);
    private static readonly TableColumn ContainersColumn = new("Containers", "string", "", "Names of each container in the template.", 1);
    private static readonly TableColumn ImagesColumn = new("Images", "string", "", "Images referenced by each container in the template.", 1);

    private static readonly TableColumn[] DefaultColumns = [NameColumn, AgeColumn];

    private static readonly TableColumn[] PodColumns =
    [
        NameColumn,
        new("Ready", "string", "", "The aggregate readiness state of this pod for accepting traffic."),
        new("Status", "string", "", "The aggregate status of the containers in this pod."),
        new("Restarts", "string", "", "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted."),
        AgeColumn,
        new("IP", "string", "", "podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.", 1),
        new("Node", "string", "", "NodeName indicates in which node this pod is scheduled. If empty, this pod is a candidate for scheduling by the scheduler defined in schedulerName.", 1),
        new("Nominated Node", "string", "", "nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods.", 1),
        new("Readiness Gates", "string", "", "If specified, all readiness gates will be evaluated for pod readiness. A pod is ready when all its containers are ready AND all conditions specified in the readiness gates have status equal to \"True\"", 1),
    ];

    private static readonly TableColumn[] DeploymentColumns =
    [
        NameColumn,
        new("Ready", "string", "", "Number of the pod with ready state"),
        new("Up-to-date", "string", "", "Total number of non-terminating pods targeted by this deployment that have the desired template spec."),
        new("Available", "string", "", "Total number of available non-terminating pods (ready for at least minReadySeconds) targeted by this deployment."),
        AgeColumn,
        ContainersColumn,
        ImagesColumn,
        new("Selector", "string", "", "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment.", 1),
    ];

    private static readonly TableColumn[] ReplicaSetColumns =
    [
        NameColumn,
        new("Desired", "integer", "", "Replicas is the number of desired pods. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1."),
        new("Current", "integer", "", "Replicas is the most recently observed number of non-terminating pods."),
        new("Ready", "integer", "", "The number of non-terminating pods targeted by this ReplicaSet with a Ready Condition."),
        AgeColumn,
        ContainersColumn,
        ImagesColumn,
        new("Selector", "string", "", "Selector is a label query over pods that should match the replica count.", 1),
    ];

    private static readonly TableColumn[] NodeColumns =
    [
        NameColumn,
        new("Status", "string", "", "The status of the node"),
        new("Roles", "string", "", "The roles of the node"),
        AgeColumn,
        new("Version", "string", "", "Kubelet Version reported by the node."),
        new("Internal-IP", "string", "", "List of addresses reachable to the node.", 1),
        new("External-IP", "string", "", "List of addresses reachable to the node.", 1),
        new("OS-Image", "string", "", "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).", 1),
        new("Kernel-Version", "string", "", "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).", 1),
        new("Container-Runtime", "string", "", "ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).", 1),
    ];

    private static readonly TableColumn[] NamespaceColumns =
    [
        NameColumn,
        new("Status", "string", "", "The status of the namespace"),
        AgeColumn,
    ];

    private static readonly TableColumn[] EventColumns =
    [
        new("Last Seen", "string", "", "The time at which the most recent occurrence of this event was recorded."),
        new("Type", "string", "", "Type of this event (Normal, Warning), new types could be added in the future"),
        new("Reason", "string", "", "This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
        new("Object", "string", "", "The object that this event is about."),
        new("Subobject", "string", "", "If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2].", 1),
        new("Source", "string", "", "The component reporting this event. Should be a short machine understandable string.", 1),
        new("Message", "string", "", "A human-readable description of the status of this operation."),
        new("First Seen", "string", "", "The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)", 1),
        new("Count", "string", "", "The number of times this event has occurred.", 1),
        new("Name", "string", "name", NameDoc, 1),
    ];

    private static readonly TableColumn[] ConfigMapColumns =
    [
        NameColumn,
        new("Data", "string", "", "Data contains the configuration data. Each key must consist of alphanumeric characters, '-', '_' or '.'. Values with non-UTF-8 byte sequences must use the BinaryData field. The keys stored in Data must not overlap with the keys in the BinaryData field, this is enforced during validation process."),
        AgeColumn,
    ];

    private static readonly TableColumn[] SecretColumns =
    [
        NameColumn,
        new("Type", "string", "", "Used to facilitate programmatic handling of secret data."),
        new("Data", "string", "", "Data contains the secret data. Each key must consist of alphanumeric characters, '-', '_' or '.'. The serialized form of the secret data is a base64 encoded string, representing the arbitrary (possibly non-string) data value here."),
        AgeColumn,
    ];

    private static readonly TableColumn[] ServiceColumns =
    [
        NameColumn,
        new("Type", "string", "", "type determines how the Service is exposed. Defaults to ClusterIP. Valid options are ExternalName, ClusterIP, NodePort, and LoadBalancer."),
        new("Cluster-IP", "string", "", "clusterIP is the IP address of the service and is usually assigned randomly."),
        new("External-IP", "string", "", "externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service."),
        new("Port(s)", "string", "", "The list of ports that are exposed by this service."),
        AgeColumn,
        new("Selector", "string", "", "Route service traffic to pods with label keys and values matching this selector.", 1),
    ];

    private static readonly TableColumn[] LeaseColumns =
    [
        NameColumn,
        new("Holder", "string", "", "holderIdentity contains the identity of the holder of a current lease. If Coordinated Leader Election is used, the holder identity must be equal to the elected LeaseCandidate.metadata.name field."),
        AgeColumn,
    ];
}
