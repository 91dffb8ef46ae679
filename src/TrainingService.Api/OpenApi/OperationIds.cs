using TrainingService.Api.Hosting;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.Routing;

namespace TrainingService.Api.OpenApi;

/// <summary>
/// Every operation's <c>operationId</c>, for generated clients: an endpoint's name (<c>.WithName</c>) when it has one,
/// else one read from its route. A collection lists and creates (<c>GET /api/runs</c> → <c>listRuns</c>,
/// <c>POST /api/runs</c> → <c>createRun</c>; a singular one is got: <c>GET /api/spec</c> → <c>getSpec</c>), an item is got and deleted (<c>getRun</c>, <c>deleteRun</c>), a sub-resource
/// of an item is got (<c>GET /api/runs/{id}/metrics.csv</c> → <c>getRunMetricsCsv</c>) and an action on it is posted
/// (<c>POST /api/runs/{id}/cancel</c> → <c>cancelRun</c>).
/// </summary>
public static class OperationIds
{
    public static string Of(ApiDescription api) =>
        api.ActionDescriptor.EndpointMetadata.OfType<IEndpointNameMetadata>().FirstOrDefault()?.EndpointName
        ?? FromRoute(api.HttpMethod ?? "GET", api.RelativePath ?? "");

    public static string FromRoute(string method, string path)
    {
        // "api/runs/{id}/metrics.csv" → collection "runs", item yes, rest ["metrics.csv"]
        var segments = path.Split('?')[0].Trim('/').Split('/').Where(s => s.Length > 0 && s != "api").ToList();
        string collection = segments[0];
        bool item = segments.Count > 1 && segments[1].StartsWith('{');
        var rest = segments.Skip(item ? 2 : 1).ToList();
        string one = Singular(collection);
        string verb = method.ToUpperInvariant();

        if (rest.Count == 0)
            return item
                ? (verb switch { "GET" => "get", "DELETE" => "delete", "PUT" => "replace", "PATCH" => "update", _ => verb.ToLowerInvariant() }) + Pascal(one)
                : verb switch
                {
                    "GET" when one != collection => "list" + Pascal(collection),
                    "POST" => "create" + Pascal(one),
                    _ => verb.ToLowerInvariant() + Pascal(collection), // GET /api/spec → getSpec
                };
        string owner = Pascal(item ? one : collection);
        string tail = string.Concat(rest.Select(Pascal));
        return verb == "GET" ? "get" + owner + tail : Camel(tail) + owner;
    }

    private static string Singular(string word) => word.EndsWith("ies") ? word[..^3] + "y" : word.EndsWith('s') ? word[..^1] : word;

    /// <summary>"metrics.csv" → "MetricsCsv", "epochs.csv" → "EpochsCsv".</summary>
    private static string Pascal(string segment) =>
        string.Concat(segment.Split('.', '-', '_').Where(p => p.Length > 0).Select(p => char.ToUpperInvariant(p[0]) + p[1..]));

    private static string Camel(string pascal) => char.ToLowerInvariant(pascal[0]) + pascal[1..];
}
