namespace TrainingService.Api.Health;

/// <summary>
/// <c>dotnet TrainingService.Api.dll --healthcheck [URL]</c>: GET /healthz of the instance running beside it and exit
/// 0 (healthy) or 1. The container's HEALTHCHECK uses it because the ASP.NET runtime image has neither curl nor wget.
/// Without a URL it follows the app's own settings: the first of <c>ASPNETCORE_URLS</c>, else
/// <c>ASPNETCORE_HTTP_PORTS</c> (the image's default 8080), on 127.0.0.1.
/// </summary>
public static class HealthProbe
{
    public const string Flag = "--healthcheck";

    public static async Task<int> RunAsync(string[] args)
    {
        int at = Array.IndexOf(args, Flag);
        string baseUrl = at + 1 < args.Length ? args[at + 1] : Local();
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(3) };
            var response = await http.GetAsync(new Uri(new Uri(baseUrl), "/healthz"));
            Console.WriteLine($"{baseUrl}/healthz: {(int)response.StatusCode}");
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception e)
        {
            Console.WriteLine($"{baseUrl}/healthz: {e.Message}");
            return 1;
        }
    }

    private static string Local()
    {
        if (Environment.GetEnvironmentVariable("ASPNETCORE_URLS") is { Length: > 0 } urls)
        {
            var first = new Uri(urls.Split(';')[0].Replace("://+", "://localhost").Replace("://*", "://localhost").Replace("://0.0.0.0", "://localhost").Replace("://[::]", "://localhost"));
            return $"{first.Scheme}://127.0.0.1:{first.Port}";
        }
        string port = Environment.GetEnvironmentVariable("ASPNETCORE_HTTP_PORTS")?.Split(';', ',')[0] is { Length: > 0 } p ? p : "8080";
        return $"http://127.0.0.1:{port}";
    }
}
