using System.Text.Json.Nodes;
using MiniKube.Api.Printing;

namespace MiniKube.Api.Tests.Printing;

public class TableTextTests
{
    private static readonly TableColumn[] Columns =
    [
        new("Name", "string", "name", ""),
        new("Ready", "string", "", ""),
        new("Nominated Node", "string", "", "", 1),
        new("Age", "string", "", ""),
    ];

    private static readonly TableRow[] Rows =
    [
        new(["web-7d9f", "1/1", "<none>", "5m"]),
        new(["a", "0/1", "n1", "10d"]),
    ];

    [Fact]
    public void Render_aligns_columns_like_kubectl_tabwriter()
    {
        Assert.Equal(
            "NAME       READY   AGE\n" +
            "web-7d9f   1/1     5m\n" +
            "a          0/1     10d\n",
            TableText.Render(Columns, Rows, wide: false, noHeaders: false));
    }

    [Fact]
    public void Render_shows_priority_columns_when_wide_and_drops_headers_when_asked()
    {
        Assert.Equal(
            "NAME       READY   NOMINATED NODE   AGE\n" +
            "web-7d9f   1/1     <none>           5m\n" +
            "a          0/1     n1               10d\n",
            TableText.Render(Columns, Rows, wide: true, noHeaders: false));
        Assert.Equal(
            "web-7d9f   1/1   5m\n" +
            "a          0/1   10d\n",
            TableText.Render(Columns, Rows, wide: false, noHeaders: true));
    }

    [Fact]
    public void Render_cuts_multi_line_cells_and_prints_numbers_and_nulls()
    {
        TableColumn[] columns = [new("Message", "string", "", ""), new("Count", "integer", "", ""), new("X", "string", "", "")];
        TableRow[] rows = [new(["line one\nline two", 3, null])];
        Assert.Equal("MESSAGE       COUNT   X\nline one...   3       \n", TableText.Render(columns, rows, wide: false, noHeaders: false));
    }

    [Fact]
    public void Render_reads_a_served_table()
    {
        var printer = new TablePrinter(new FixedTimeProvider(DateTimeOffset.UnixEpoch));
        var table = printer.Table("", "namespaces", [(JsonObject)JsonNode.Parse("""{"metadata":{"name":"default"},"status":{"phase":"Active"}}""")!]);
        var roundTripped = (JsonObject)JsonNode.Parse(table.ToJsonString())!;
        Assert.Equal("NAME      STATUS   AGE\ndefault   Active   <unknown>\n", TableText.Render(roundTripped, wide: false, noHeaders: false));
    }

    [Fact]
    public void Render_prepends_namespace_column_when_asked()
    {
        var printer = new TablePrinter(new FixedTimeProvider(DateTimeOffset.UnixEpoch));
        var table = printer.Table("", "configmaps", [
            (JsonObject)JsonNode.Parse("""{"metadata":{"name":"a","namespace":"kube-system"}}""")!,
            (JsonObject)JsonNode.Parse("""{"metadata":{"name":"bb","namespace":"default"},"data":{"k":"v"}}""")!,
        ]);
        Assert.Equal(
            "NAMESPACE     NAME   DATA   AGE\n" +
            "kube-system   a      0      <unknown>\n" +
            "default       bb     1      <unknown>\n",
            TableText.Render(table, wide: false, noHeaders: false, withNamespace: true));
    }
}
