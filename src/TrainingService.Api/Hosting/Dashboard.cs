using Microsoft.Extensions.FileProviders;

namespace TrainingService.Api.Hosting;

/// <summary>The dashboard lives in <c>wwwroot/</c> at the repository root, not in this project, so the web root is
/// looked up: beside the content root (a container, or run from the repository root), two levels up (<c>dotnet run
/// --project src/TrainingService.Api</c>: edits show without a rebuild), then next to the app (build and publish
/// output carry a copy, see the csproj).</summary>
public static class Dashboard
{
    public static void UseDashboardWebRoot(this IWebHostEnvironment env)
    {
        string[] candidates =
        [
            Path.Combine(env.ContentRootPath, "wwwroot"),
            Path.GetFullPath(Path.Combine(env.ContentRootPath, "..", "..", "wwwroot")),
            Path.Combine(AppContext.BaseDirectory, "wwwroot"),
        ];
        if (candidates.FirstOrDefault(p => File.Exists(Path.Combine(p, "index.html"))) is not { } root) return;
        env.WebRootPath = root;
        env.WebRootFileProvider = new PhysicalFileProvider(root);
    }

    /// <summary>Serves the dashboard: <c>index.html</c> for <c>/</c>, then the static files.</summary>
    public static IApplicationBuilder UseDashboard(this IApplicationBuilder app) => app.UseDefaultFiles().UseStaticFiles();
}
