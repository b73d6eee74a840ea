using System.Text.Json.Nodes;
using MiniKube.Api.Printing;

namespace MiniKube.Api.Tests.Printing;

public class TablePrinterTests
{
    private static readonly DateTimeOffset Now = new(2024, 1, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly TablePrinter printer = new(new FixedTimeProvider(Now));

    private static string Ago(TimeSpan t) => (Now - t).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);

    private string[] PodRow(string status, string spec = """{"containers":[{"name":"c","image":"i"}]}""", string metadataExtra = "")
    {
        var pod = (JsonObject)JsonNode.Parse($$$"""
            {"metadata":{"name":"p","creationTimestamp":"{{{Ago(TimeSpan.FromMinutes(5))}}}"{{{metadataExtra}}} },
             "spec":{{{spec}}}, "status":{{{status}}} }
            """)!;
        return [.. printer.Row("", "pods", pod).Cells.Select(TableText.CellText)];
    }

    [Fact]
    public void Pod_row_shows_running_ready_pod()
    {
        var cells = PodRow("""
            {"phase":"Running","podIPs":[{"ip":"10.0.0.5"}],
             "conditions":[{"type":"Ready","status":"True"}],
             "containerStatuses":[{"name":"c","ready":true,"restartCount":0,"state":{"running":{} } }]}
            """, """{"nodeName":"n1","containers":[{"name":"c","image":"i"}]}""");
        Assert.Equal(["p", "1/1", "Running", "0", "5m", "10.0.0.5", "n1", "<none>", "<none>"], cells);
    }

    [Fact]
    public void Pod_row_shows_pending_unscheduled_pod()
    {
        Assert.Equal(["p", "0/1", "Pending", "0", "5m", "<none>", "<none>", "<none>", "<none>"], PodRow("""{"phase":"Pending"}"""));
    }

    [Theory]
    [InlineData("""{"waiting":{"reason":"ContainerCreating"}}""", "ContainerCreating")]
    [InlineData("""{"waiting":{"reason":"ImagePullBackOff"}}""", "ImagePullBackOff")]
    [InlineData("""{"terminated":{"exitCode":137}}""", "ExitCode:137")]
    [InlineData("""{"terminated":{"exitCode":1,"signal":9}}""", "Signal:9")]
    [InlineData("""{"terminated":{"exitCode":1,"reason":"Error"}}""", "Error")]
    public void Pod_row_takes_status_from_container_state(string state, string expected)
    {
        var cells = PodRow($$$"""{"phase":"Pending","containerStatuses":[{"name":"c","ready":false,"restartCount":0,"state":{{{state}}} }]}""");
        Assert.Equal(expected, cells[2]);
        Assert.Equal("0/1", cells[1]);
    }

    [Fact]
    public void Pod_row_shows_crash_loop_with_last_restart_age()
    {
        var cells = PodRow($$$"""
            {"phase":"Running","containerStatuses":[{"name":"c","ready":false,"restartCount":2,
              "state":{"waiting":{"reason":"CrashLoopBackOff"}},
              "lastState":{"terminated":{"exitCode":1,"finishedAt":"{{{Ago(TimeSpan.FromSeconds(200))}}}"} } }]}
            """);
        Assert.Equal(["CrashLoopBackOff", "2 (3m20s ago)"], cells[2..4]);
    }

    [Fact]
    public void Pod_row_shows_completed_pod_with_completed_condition()
    {
        var pod = (JsonObject)JsonNode.Parse("""
            {"metadata":{"name":"job-1"},"spec":{"containers":[{"name":"c"}]},
             "status":{"phase":"Succeeded","containerStatuses":[{"name":"c","ready":false,"restartCount":0,
               "state":{"terminated":{"exitCode":0,"reason":"Completed"} } }]}}
            """)!;
        var row = printer.Row("", "pods", pod);
        Assert.Equal(["job-1", "0/1", "Completed", "0", "<unknown>"], row.Cells.Take(5).Select(TableText.CellText));
        Assert.Equal("Succeeded", (string)Assert.Single(row.Conditions!)["reason"]!);
    }

    [Fact]
    public void Pod_row_shows_running_when_one_container_completed_and_another_runs()
    {
        var cells = PodRow("""
            {"phase":"Running","conditions":[{"type":"Ready","status":"True"}],"containerStatuses":[
              {"name":"a","ready":true,"state":{"running":{} } },
              {"name":"b","ready":false,"state":{"terminated":{"exitCode":0,"reason":"Completed"} } }]}
            """, """{"containers":[{"name":"a"},{"name":"b"}]}""");
        Assert.Equal(["1/2", "Running"], cells[1..3]);
    }

    [Fact]
    public void Pod_row_shows_terminating_and_unknown_when_deleted()
    {
        var deletion = $$$""","deletionTimestamp":"{{{Ago(TimeSpan.FromSeconds(10))}}}" """;
        Assert.Equal("Terminating", PodRow("""{"phase":"Running"}""", metadataExtra: deletion)[2]);
        Assert.Equal("Unknown", PodRow("""{"phase":"Running","reason":"NodeLost"}""", metadataExtra: deletion)[2]);
        Assert.Equal("Succeeded", PodRow("""{"phase":"Succeeded"}""", metadataExtra: deletion)[2]);
    }

    [Theory]
    [InlineData("""[{"name":"i1","state":{"terminated":{"exitCode":0} } },{"name":"i2","state":{"running":{} } }]""", "Init:1/2")]
    [InlineData("""[{"name":"i1","restartCount":3,"state":{"waiting":{"reason":"CrashLoopBackOff"} } }]""", "Init:CrashLoopBackOff")]
    [InlineData("""[{"name":"i1","state":{"terminated":{"exitCode":2} } }]""", "Init:ExitCode:2")]
    [InlineData("""[{"name":"i1","state":{"terminated":{"exitCode":2,"reason":"Error"} } }]""", "Init:Error")]
    [InlineData("""[{"name":"i1","state":{"waiting":{"reason":"PodInitializing"} } }]""", "Init:0/2")]
    public void Pod_row_shows_init_progress(string initStatuses, string expected)
    {
        var cells = PodRow($$$"""{"phase":"Pending","initContainerStatuses":{{{initStatuses}}} }""",
            """{"initContainers":[{"name":"i1"},{"name":"i2"}],"containers":[{"name":"c"}]}""");
        Assert.Equal(expected, cells[2]);
    }

    [Fact]
    public void Pod_row_counts_sidecar_init_containers_and_readiness_gates()
    {
        var cells = PodRow("""
            {"phase":"Running","conditions":[{"type":"Initialized","status":"True"},{"type":"g1","status":"True"},{"type":"g2","status":"False"}],
             "initContainerStatuses":[{"name":"side","ready":true,"started":true,"restartCount":1,"state":{"running":{} } }],
             "containerStatuses":[{"name":"c","ready":true,"restartCount":0,"state":{"running":{} } }]}
            """, """
            {"initContainers":[{"name":"side","restartPolicy":"Always"}],"containers":[{"name":"c"}],
             "readinessGates":[{"conditionType":"g1"},{"conditionType":"g2"}]}
            """);
        Assert.Equal(["2/2", "Running", "1"], cells[1..4]);
        Assert.Equal("1/2", cells[8]);
    }

    [Fact]
    public void Pod_row_shows_scheduling_gated()
    {
        Assert.Equal("SchedulingGated", PodRow("""{"phase":"Pending","conditions":[{"type":"PodScheduled","status":"False","reason":"SchedulingGated"}]}""")[2]);
    }

    [Fact]
    public void Deployment_and_replicaset_rows_follow_k8s()
    {
        var d = (JsonObject)JsonNode.Parse($$$"""
            {"metadata":{"name":"web","creationTimestamp":"{{{Ago(TimeSpan.FromHours(51))}}}"},
             "spec":{"replicas":3,"selector":{"matchLabels":{"app":"web"}},
                     "template":{"spec":{"containers":[{"name":"web","image":"nginx:1"},{"name":"log","image":"fluent"}]} } },
             "status":{"replicas":3,"readyReplicas":2,"updatedReplicas":3,"availableReplicas":2}}
            """)!;
        var cells = printer.Row("apps", "deployments", d).Cells;
        Assert.Equal(["web", "2/3", "3", "2", "2d3h", "web,log", "nginx:1,fluent", "app=web"], cells.Select(TableText.CellText));
        Assert.Equal(3, (long)cells[2]!);
        var rs = printer.Row("apps", "replicasets", d).Cells;
        Assert.Equal(["web", "3", "3", "2", "2d3h", "web,log", "nginx:1,fluent", "app=web"], rs.Select(TableText.CellText));
        Assert.Equal(TablePrinter.Columns("apps", "deployments").Count, cells.Count);
    }

    [Fact]
    public void Node_rows_show_status_roles_and_addresses()
    {
        var ready = (JsonObject)JsonNode.Parse($$$"""
            {"metadata":{"name":"n1","creationTimestamp":"{{{Ago(TimeSpan.FromDays(45))}}}",
               "labels":{"node-role.kubernetes.io/control-plane":"","kubernetes.io/role":"worker","node-role.kubernetes.io/":""}},
             "spec":{"unschedulable":true},
             "status":{"conditions":[{"type":"MemoryPressure","status":"False"},{"type":"Ready","status":"True"}],
                       "addresses":[{"type":"InternalIP","address":"10.0.0.1"},{"type":"Hostname","address":"n1"}],
                       "nodeInfo":{"kubeletVersion":"v1.30.0","osImage":"Debian","kernelVersion":"6.1","containerRuntimeVersion":"minikube://1"} } }
            """)!;
        Assert.Equal(["n1", "Ready,SchedulingDisabled", "control-plane,worker", "45d", "v1.30.0", "10.0.0.1", "<none>", "Debian", "6.1", "minikube://1"],
            printer.Row("", "nodes", ready).Cells.Select(TableText.CellText));
        var notReady = (JsonObject)JsonNode.Parse("""{"metadata":{"name":"n2"},"status":{"conditions":[{"type":"Ready","status":"Unknown"}]}}""")!;
        Assert.Equal(["n2", "NotReady", "<none>", "<unknown>", "", "<none>", "<none>", "<unknown>", "<unknown>", "<unknown>"],
            printer.Row("", "nodes", notReady).Cells.Select(TableText.CellText));
        var unknown = (JsonObject)JsonNode.Parse("""{"metadata":{"name":"n3"}}""")!;
        Assert.Equal("Unknown", TableText.CellText(printer.Row("", "nodes", unknown).Cells[1]));
    }

    [Fact]
    public void Event_row_shows_object_source_and_count()
    {
        var ev = (JsonObject)JsonNode.Parse($$$"""
            {"metadata":{"name":"web.17a"},"type":"Warning","reason":"BackOff","message":"Back-off restarting\n",
             "involvedObject":{"kind":"Pod","name":"web","fieldPath":"spec.containers{web}"},
             "source":{"component":"kubelet","host":"n1"},
             "firstTimestamp":"{{{Ago(TimeSpan.FromMinutes(20))}}}","lastTimestamp":"{{{Ago(TimeSpan.FromSeconds(30))}}}","count":7}
            """)!;
        Assert.Equal(["30s", "Warning", "BackOff", "pod/web", "spec.containers{web}", "kubelet, n1", "Back-off restarting", "20m", "7", "web.17a"],
            printer.Row("", "events", ev).Cells.Select(TableText.CellText));
        var single = (JsonObject)JsonNode.Parse($$$"""
            {"metadata":{"name":"e"},"type":"Normal","reason":"Scheduled","involvedObject":{"kind":"Node"},
             "reportingController":"scheduler","eventTime":"{{{Ago(TimeSpan.FromSeconds(5))}}}"}
            """)!;
        Assert.Equal(["5s", "Normal", "Scheduled", "node", "", "scheduler", "", "5s", "1", "e"],
            printer.Row("", "events", single).Cells.Select(TableText.CellText));
    }

    [Fact]
    public void Service_rows_show_ips_and_ports()
    {
        var svc = (JsonObject)JsonNode.Parse("""
            {"metadata":{"name":"web"},
             "spec":{"type":"NodePort","clusterIP":"10.96.0.10","clusterIPs":["10.96.0.10"],"selector":{"b":"2","a":"1"},
                     "ports":[{"port":80,"protocol":"TCP"},{"port":443,"nodePort":30443,"protocol":"TCP"}]}}
            """)!;
        Assert.Equal(["web", "NodePort", "10.96.0.10", "<none>", "80/TCP,443:30443/TCP", "<unknown>", "a=1,b=2"],
            printer.Row("", "services", svc).Cells.Select(TableText.CellText));
        var lb = (JsonObject)JsonNode.Parse("""{"metadata":{"name":"lb"},"spec":{"type":"LoadBalancer","clusterIP":"None"}}""")!;
        Assert.Equal(["lb", "LoadBalancer", "None", "<pending>", "<none>", "<unknown>", "<none>"],
            printer.Row("", "services", lb).Cells.Select(TableText.CellText));
    }

    [Fact]
    public void Simple_kinds_show_their_columns()
    {
        var created = Ago(TimeSpan.FromSeconds(42));
        JsonObject Obj(string json) => (JsonObject)JsonNode.Parse(json.Replace("CREATED", created, StringComparison.Ordinal))!;
        Assert.Equal(["default", "Active", "42s"],
            printer.Row("", "namespaces", Obj("""{"metadata":{"name":"default","creationTimestamp":"CREATED"},"status":{"phase":"Active"}}""")).Cells.Select(TableText.CellText));
        Assert.Equal(["cm", "3", "42s"],
            printer.Row("", "configmaps", Obj("""{"metadata":{"name":"cm","creationTimestamp":"CREATED"},"data":{"a":"1","b":"2"},"binaryData":{"c":"AA=="}}""")).Cells.Select(TableText.CellText));
        Assert.Equal(["s", "Opaque", "1", "42s"],
            printer.Row("", "secrets", Obj("""{"metadata":{"name":"s","creationTimestamp":"CREATED"},"type":"Opaque","data":{"k":"dg=="}}""")).Cells.Select(TableText.CellText));
        Assert.Equal(["kube-scheduler", "sched-1", "42s"],
            printer.Row("coordination.k8s.io", "leases", Obj("""{"metadata":{"name":"kube-scheduler","creationTimestamp":"CREATED"},"spec":{"holderIdentity":"sched-1"}}""")).Cells.Select(TableText.CellText));
        Assert.Equal(["w", "42s"],
            printer.Row("example.com", "widgets", Obj("""{"metadata":{"name":"w","creationTimestamp":"CREATED"}}""")).Cells.Select(TableText.CellText));
        Assert.Equal(["Name", "Age"], TablePrinter.Columns("example.com", "widgets").Select(c => c.Name));
    }

    [Fact]
    public void Table_has_metav1_shape_with_partial_metadata_objects()
    {
        var pod = (JsonObject)JsonNode.Parse("""{"metadata":{"name":"p","namespace":"ns"},"spec":{"containers":[]},"status":{"phase":"Pending"}}""")!;
        var table = printer.Table("", "pods", [pod], resourceVersion: "42");
        Assert.Equal("Table", (string)table["kind"]!);
        Assert.Equal("meta.k8s.io/v1", (string)table["apiVersion"]!);
        Assert.Equal("42", (string)table["metadata"]!["resourceVersion"]!);
        var columns = table["columnDefinitions"]!.AsArray();
        Assert.Equal(9, columns.Count);
        Assert.Equal("name", (string)columns[0]!["format"]!);
        Assert.Equal(1, (int)columns[5]!["priority"]!);
        var row = table["rows"]![0]!;
        Assert.Equal("PartialObjectMetadata", (string)row["object"]!["kind"]!);
        Assert.Equal("ns", (string)row["object"]!["metadata"]!["namespace"]!);
        Assert.Equal(9, row["cells"]!.AsArray().Count);
    }
}
