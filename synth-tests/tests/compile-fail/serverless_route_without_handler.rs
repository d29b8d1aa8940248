// Every route names the function that handles it: a route key alone does not compile.
use constructs::serverless::Route;

fn main() {
    let _ = Route::new("GET /items/{id}").reads_item();
}
